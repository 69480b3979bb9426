// Reads the default of an `ARG` line of a Dockerfile: how the test bed takes a release from the image that pins it.

/** The value of `ARG <name>=<value>` in a Dockerfile's text; `source` names the file in the error when it has none. */
export function dockerfileArg(dockerfile: string, name: string, source: string): string {
  const match = new RegExp(`^ARG ${name}=(\\S+)\\s*$`, 'm').exec(dockerfile);
  if (!match) throw new Error(`${source}: no "ARG ${name}=<value>" line`);
  return match[1]!;
}
