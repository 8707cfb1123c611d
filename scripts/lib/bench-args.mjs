// The options `npm run bench` hands each bench. Plain options go to every bench (each ignores what it does not
// know); `--<bench>.<option> [value]` goes to that bench alone, as `--<option> [value]`, after the plain ones so it
// wins (node:util parseArgs keeps an option's last value). That lets one complete run keep the upload bench at its
// five rounds while the player runs three.

/** argv (without the runner's own flags) → { common, scoped(name) → the args for bench `name` }. */
export function splitBenchArgs(argv) {
  const common = [];
  const scoped = new Map();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z][\w-]*)\.([a-z][\w-]*)$/.exec(argv[i]);
    const hasValue = i + 1 < argv.length && !argv[i + 1].startsWith('--');
    if (!m) { common.push(argv[i]); continue; }
    const list = scoped.get(m[1]) ?? [];
    list.push(`--${m[2]}`);
    if (hasValue) list.push(argv[++i]);
    scoped.set(m[1], list);
  }
  return { common, benches: [...scoped.keys()], argsFor: (name) => [...common, ...(scoped.get(name) ?? [])] };
}
