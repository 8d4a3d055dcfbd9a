import type { Clock, Timer } from '../../core/clock.js';

/** How often a connected car is pinged (a WebSocket ping: not a Fleet Telemetry message, not billed). */
export const PING_INTERVAL_MS = 10_000;
/** How long a car that has answered a ping on this connection may then stay silent before the link counts as lost. */
export const LINK_LOST_MS = 90_000;

export interface LinkCheckDeps {
  clock: Clock;
  /** Sends one WebSocket ping. */
  ping: () => void;
  /** The car answered before and has now been silent for LINK_LOST_MS: the link is dead (a half-open socket). */
  lost: () => void;
}

/**
 * When the car was last heard on its link: a message's arrival, or the moment a ping it answered
 * was sent (the pong proves the car was there then; the send time is the safe side of the round trip).
 *
 * A car sends a field as soon as it changed once the field's interval has passed since it last sent
 * it (docs/telemetry-wire.md), so a car heard at T has sent every such change made before T. Between
 * two messages a parked or steadily charging car says nothing; the pings are what tell "nothing
 * changed" from "the link is gone".
 *
 * Only one ping is outstanding at a time. A client that never answers pings (allowed: the receiver
 * cannot know every car's WebSocket stack) is left to the idle timeout; one that answered and then
 * went silent is reported lost, so a half-open socket does not pass for a connected car.
 */
export class LinkCheck {
  private heard: number;
  private pingSentAt: number | undefined;
  private answered = false;
  private timer: Timer | undefined;
  private readonly deps: LinkCheckDeps;

  constructor(deps: LinkCheckDeps) {
    this.deps = deps;
    this.heard = deps.clock.now();
    this.schedule();
  }

  get heardAt(): number {
    return this.heard;
  }

  /** A ping is out and not answered yet. */
  get awaitingPong(): boolean {
    return this.pingSentAt !== undefined;
  }

  /** A message arrived. */
  message(now: number): void {
    this.heard = Math.max(this.heard, now);
  }

  /** A pong arrived; one without a ping out is ignored (it proves nothing about when). */
  pong(): void {
    if (this.pingSentAt === undefined) return;
    this.heard = Math.max(this.heard, this.pingSentAt);
    this.pingSentAt = undefined;
    this.answered = true;
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private schedule(): void {
    this.timer = this.deps.clock.setTimeout(() => this.tick(), PING_INTERVAL_MS);
  }

  private tick(): void {
    const now = this.deps.clock.now();
    if (this.answered && now - this.heard >= LINK_LOST_MS) {
      this.timer = undefined;
      this.deps.lost();
      return;
    }
    // A ping unanswered for as long as the link may stay silent is given up and sent again.
    if (this.pingSentAt === undefined || now - this.pingSentAt >= LINK_LOST_MS) {
      this.pingSentAt = now;
      this.deps.ping();
    }
    this.schedule();
  }
}
