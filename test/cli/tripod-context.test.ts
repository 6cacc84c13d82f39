// The run's configuration object: where profiles live and when a browser may be opened.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { shouldOpenBrowser } from '../../src/cli/tripod/browser.ts';
import { configDirectory, createContext } from '../../src/cli/tripod/context.ts';

function context(env: Record<string, string>, platform: NodeJS.Platform = 'linux') {
  return createContext(
    { stdout: new PassThrough(), stderr: new PassThrough(), stdin: new PassThrough(), env, platform },
    { configDir: '/tmp/unused' },
  );
}

describe('tripod run configuration', () => {
  it('profile directory: --config-dir, then TRIPOD_CONFIG_DIR, then $XDG_CONFIG_HOME/tripod', () => {
    assert.equal(configDirectory('/flag', { TRIPOD_CONFIG_DIR: '/env', XDG_CONFIG_HOME: '/xdg' }), '/flag');
    assert.equal(configDirectory(undefined, { TRIPOD_CONFIG_DIR: '/env', XDG_CONFIG_HOME: '/xdg' }), '/env');
    assert.equal(configDirectory(undefined, { XDG_CONFIG_HOME: '/xdg' }), '/xdg/tripod');
  });

  it('opens a browser only with a display and outside CI, and never with --no-browser', () => {
    assert.equal(shouldOpenBrowser(context({ DISPLAY: ':0' }), true), true);
    assert.equal(shouldOpenBrowser(context({ WAYLAND_DISPLAY: 'wayland-0' }), true), true);
    assert.equal(shouldOpenBrowser(context({}), true), false, 'a headless Linux session');
    assert.equal(shouldOpenBrowser(context({ DISPLAY: ':0', CI: 'true' }), true), false, 'CI');
    assert.equal(
      shouldOpenBrowser(context({ DISPLAY: ':0', CI: 'false' }), true),
      true,
      'CI=false is not CI',
    );
    assert.equal(shouldOpenBrowser(context({}, 'darwin'), true), true);
    assert.equal(shouldOpenBrowser(context({ DISPLAY: ':0' }), false), false, '--no-browser');
  });
});
