// The "Examples" section of every `--help`: a person reads an example before an option list (gh's
// habit). KEY, SECRET, TOKEN and TOKEN_SECRET stand for an app's and a user's credentials; a test parses
// every line with the real command definitions, so no example uses a flag that does not exist.

export const HELP_EXAMPLES: Record<string, readonly string[]> = {
  tripod: [
    'tripod authorize --site http://127.0.0.1:3000 --consumer-key KEY --consumer-secret SECRET',
    'tripod /1.1/account/verify_credentials.json',
    "tripod request -d 'status=Hello, world' /1.1/statuses/update.json",
    'tripod doctor',
  ],
  authorize: [
    'tripod authorize --site http://127.0.0.1:3000 --consumer-key KEY --consumer-secret SECRET',
    'tripod authorize --loopback --site http://127.0.0.1:3000 -c KEY -s SECRET',
    'tripod authorize --provider x -c KEY -s SECRET --name work',
    'tripod authorize --provider trello -c KEY -s SECRET --auth-param scope=read,write',
  ],
  request: [
    'tripod request /1.1/account/verify_credentials.json',
    "tripod request -d 'status=Hello, world' /1.1/statuses/update.json",
    'tripod request -v -i /1.1/account/verify_credentials.json',
    'tripod request -o me.json /1.1/account/verify_credentials.json',
    'tripod request --format json /1.1/account/verify_credentials.json',
    'tripod request -X PATCH --json \'{"name":"x"}\' https://api.example.com/2/things/1',
    'tripod request -c KEY -s SECRET -a TOKEN -S TOKEN_SECRET --host api.x.com /1.1/account/verify_credentials.json',
  ],
  sign: [
    "tripod sign -X POST -d 'status=hi there' /1.1/statuses/update.json",
    'tripod sign --curl /1.1/account/verify_credentials.json',
    'tripod sign --format json --nonce abc --timestamp 1318622958 /1.1/account/verify_credentials.json',
  ],
  accounts: ['tripod accounts', 'tripod accounts --json'],
  use: ['tripod use alice', 'tripod use --site https://api.x.com'],
  logout: [
    'tripod logout',
    'tripod logout alice --site http://127.0.0.1:3000',
    'tripod logout bob --no-invalidate',
  ],
  'import-twurlrc': ['tripod import-twurlrc', 'tripod import-twurlrc --file ./old.twurlrc'],
  doctor: ['tripod doctor', 'tripod doctor --site http://127.0.0.1:3000', 'tripod doctor -u alice --json'],
};

export function examplesHelp(command: string): string {
  const lines = HELP_EXAMPLES[command] ?? [];
  return `\nExamples:\n${lines.map((line) => `  $ ${line}`).join('\n')}\n`;
}
