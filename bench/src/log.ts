/** A line of the benchmark's progress on stdout (the tables at the end too). */
export function log(line: string): void {
  process.stdout.write(line + '\n')
}
