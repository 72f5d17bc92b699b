/** Where the service reads the time: every expiry, window and timestamp it writes. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Whole seconds since the epoch, as JWT claims count them. */
export const epochSeconds = (clock: Clock) => Math.floor(clock.now().getTime() / 1000);
