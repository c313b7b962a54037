/** Why the external API gave no usable answer; each becomes a plain-words message to the user who asked. */
export type LookupFailure = 'timeout' | 'unavailable' | 'bad_data' | 'not_found';
export type Lookup<T> = { ok: true; value: T } | { ok: false; failure: LookupFailure };

export interface OrderStatus {
  order: string;
  status: string;
  updatedAt: Date;
}

export interface Quote {
  symbol: string;
  price: number;
  currency: string;
}

/** The external HTTP API the bot asks; the adapter turns every transport problem into a {@link LookupFailure}. */
export interface BackendApi {
  orderStatus(order: string): Promise<Lookup<OrderStatus>>;
  quote(symbol: string): Promise<Lookup<Quote>>;
}
