// twurl's rule for its default command, kept without commander's `isDefault`: a first operand that is
// a path or a URL (or a request flag such as -X or -d) means `tripod request …`. Any other bare word is
// left to commander as a command name, so a typo gets "unknown command 'doctorr' (Did you mean doctor?)"
// instead of being sent as a request, and a bare `tripod` gets the help.

import type { Command } from 'commander';

function looksLikeRequestTarget(arg: string): boolean {
  return arg.startsWith('-') || arg.includes('/') || /^[a-z][a-z\d+.-]*:/i.test(arg);
}

/** `args` (without node and the script) with "request" inserted where twurl would have assumed it. */
export function withDefaultCommand(program: Command, args: readonly string[]): string[] {
  const commands = new Set(program.commands.flatMap((c) => [c.name(), ...c.aliases()]));
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-h' || arg === '--help' || arg === 'help' || commands.has(arg)) break;
    const option = program.options.find(
      (o) => o.short === arg || o.long === arg || (o.long !== undefined && arg.startsWith(`${o.long}=`)),
    );
    if (option !== undefined) {
      if ((option.required || option.optional) && !arg.includes('=')) i++;
      continue;
    }
    if (looksLikeRequestTarget(arg)) return [...args.slice(0, i), 'request', ...args.slice(i)];
    break;
  }
  return [...args];
}
