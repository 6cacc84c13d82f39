// The "My apps" form: reading what a developer typed, checking it, and saying what is wrong in words the
// page can translate. The mode of an app is never a separate setting: it follows from the callback URLs
// (seed 000: Twitter's users could not find the switch because it was an empty field; here the page
// states the consequence of that field in plain words, and updates it as the list changes).

import { createPublicKey } from 'node:crypto';
import { OOB, parseCallback } from '../../provider/callback-policy.ts';
import type { AccessLevel, Consumer } from '../../provider/types.ts';
import { type FormBody, field, fieldList } from '../form-body.ts';
import type { MessageKey, MessageValues } from '../i18n/index.ts';

export const APP_NAME_MAX = 100;
export const APP_DESCRIPTION_MAX = 500;
export const APP_WEBSITE_MAX = 500;
export const CALLBACK_URLS_MAX = 10;
export const CALLBACK_URL_MAX = 1000;
export const RSA_KEY_MAX = 10_000;

export type AppMode = 'pin' | 'web';

/** PIN-only when no callback URL is registered; web (callback, with PIN still allowed) otherwise. */
export function appMode(callbackUrls: readonly string[]): AppMode {
  return callbackUrls.length === 0 ? 'pin' : 'web';
}

export function modeStatementKey(mode: AppMode): MessageKey {
  return mode === 'pin' ? 'mode.pin' : 'mode.web';
}

export interface AppFormValues {
  name: string;
  description: string;
  website: string;
  callbackUrls: string[];
  accessLevel: AccessLevel;
  rsaPublicKey: string;
  xauth: boolean;
}

export interface FormError {
  /** The id of the field the message is about (the error summary links to it). */
  fieldId: string;
  key: MessageKey;
  values?: MessageValues;
}

export function formValuesOf(consumer: Consumer): AppFormValues {
  return {
    name: consumer.name,
    description: consumer.description,
    website: consumer.website,
    callbackUrls: [...consumer.callbackUrls],
    accessLevel: consumer.accessLevel,
    rsaPublicKey: consumer.rsaPublicKey ?? '',
    xauth: consumer.xauth,
  };
}

/** What the form sets on an app, as the stores keep it (no RSA key: null). */
export function appFieldsOf(values: AppFormValues): Omit<AppFormValues, 'rsaPublicKey'> & {
  rsaPublicKey: string | null;
} {
  return { ...values, callbackUrls: [...values.callbackUrls], rsaPublicKey: values.rsaPublicKey || null };
}

export const EMPTY_APP_FORM: AppFormValues = {
  name: '',
  description: '',
  website: '',
  callbackUrls: [],
  accessLevel: 'read',
  rsaPublicKey: '',
  xauth: false,
};

function isWebsite(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

function isCallbackUrl(value: string): boolean {
  if (value.length > CALLBACK_URL_MAX) return false;
  try {
    const parsed = parseCallback(value);
    if (parsed === OOB) return false;
    // http(s) callbacks need a host; custom schemes (myapp://callback, RFC 8252 §7.1) are fine as they are.
    return !((parsed.protocol === 'http:' || parsed.protocol === 'https:') && parsed.hostname === '');
  } catch {
    return false;
  }
}

function isRsaPublicKey(pem: string): boolean {
  try {
    return createPublicKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

/**
 * Reads the form. `canSetXauth` is true for the operator only; for anyone else the previous value is kept
 * whatever the body says (a hand-made POST cannot turn xAuth on).
 */
export function readAppForm(
  body: FormBody,
  options: { canSetXauth: boolean; previousXauth: boolean },
): { values: AppFormValues; errors: FormError[] } {
  const errors: FormError[] = [];
  const name = field(body, 'name').trim();
  const description = field(body, 'description').trim();
  const website = field(body, 'website').trim();
  // Empty rows are how a person removes a URL without JavaScript, so they are dropped, not refused.
  const callbackUrls = fieldList(body, 'callback_url')
    .map((url) => url.trim())
    .filter((url) => url !== '');
  const access = field(body, 'access_level');
  const rsaPublicKey = field(body, 'rsa_public_key').trim();
  const xauth = options.canSetXauth ? field(body, 'xauth') === 'on' : options.previousXauth;

  if (name === '' || name.length > APP_NAME_MAX) {
    errors.push({ fieldId: 'app_name', key: 'app.errorName', values: { max: APP_NAME_MAX } });
  }
  if (description.length > APP_DESCRIPTION_MAX) {
    errors.push({
      fieldId: 'app_description',
      key: 'app.errorDescription',
      values: { max: APP_DESCRIPTION_MAX },
    });
  }
  if (website !== '' && (website.length > APP_WEBSITE_MAX || !isWebsite(website))) {
    errors.push({ fieldId: 'app_website', key: 'app.errorWebsite' });
  }
  if (callbackUrls.length > CALLBACK_URLS_MAX) {
    errors.push({
      fieldId: 'callback_url_1',
      key: 'app.errorTooManyCallbacks',
      values: { max: CALLBACK_URLS_MAX },
    });
  } else {
    callbackUrls.forEach((url, index) => {
      if (!isCallbackUrl(url)) {
        errors.push({
          fieldId: `callback_url_${index + 1}`,
          key: 'app.errorCallback',
          values: { number: index + 1 },
        });
      }
    });
  }
  if (access !== 'read' && access !== 'read-write') {
    errors.push({ fieldId: 'access_read', key: 'app.errorAccess' });
  }
  if (rsaPublicKey !== '' && (rsaPublicKey.length > RSA_KEY_MAX || !isRsaPublicKey(rsaPublicKey))) {
    errors.push({ fieldId: 'app_rsa_public_key', key: 'app.errorRsaKey' });
  }
  return {
    values: {
      name,
      description,
      website,
      callbackUrls,
      accessLevel: access === 'read-write' ? 'read-write' : 'read',
      rsaPublicKey,
      xauth,
    },
    errors,
  };
}
