/** A world action that cannot happen (no Wall Connector to plug into, unknown car...). */
export class WorldError extends Error {
  override readonly name = 'WorldError';
}
