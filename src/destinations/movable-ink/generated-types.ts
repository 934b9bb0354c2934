// Generated file. DO NOT MODIFY IT BY HAND.

export interface Settings {
  /**
   * Your Movable Ink Access Key ID, from your Movable Ink Client Experience team.
   */
  username: string
  /**
   * Your Movable Ink Access Secret, from your Movable Ink Client Experience team.
   */
  password: string
  /**
   * The endpoint URL that Movable Ink set up for your events (https). Movable Ink must map your events before it accepts them.
   */
  movable_ink_url: string
}
