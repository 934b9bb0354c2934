/** The Basic credentials every contender, `send` and the receivers use; the receivers count any others. */
export interface Credentials {
  username: string
  password: string
}

export const BENCH_CREDENTIALS: Credentials = { username: 'bench-user', password: 'bench-secret' }
