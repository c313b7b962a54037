import { randomBytes } from 'node:crypto';

/** One of Meta's Graph API errors: the HTTP status it comes with and the envelope's fields. */
export interface MetaError {
  httpStatus: number;
  code: number;
  title: string;
  details: string;
  type?: string;
}

/** The errors the simulator produces, with Meta's wording (docs/whatsapp-cloud-api.md §7). */
export const metaErrors = {
  invalidToken: (): MetaError => ({
    httpStatus: 401,
    code: 190,
    type: 'OAuthException',
    title: 'Invalid OAuth access token - Cannot parse access token',
    details: 'Invalid OAuth access token',
  }),
  invalidParameter: (details: string): MetaError => ({
    httpStatus: 400,
    code: 100,
    title: 'Invalid parameter',
    details,
  }),
  requiredParameterMissing: (details: string): MetaError => ({
    httpStatus: 400,
    code: 131008,
    title: 'Required parameter is missing',
    details,
  }),
  parameterValueInvalid: (details: string): MetaError => ({
    httpStatus: 400,
    code: 131009,
    title: 'Parameter value is not valid',
    details,
  }),
  reEngagement: (): MetaError => ({
    httpStatus: 400,
    code: 131047,
    title: 'Re-engagement message',
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  }),
  throughput: (): MetaError => ({
    httpStatus: 400,
    code: 130429,
    title: 'Rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number in a short period of time',
  }),
  pairRateLimit: (): MetaError => ({
    httpStatus: 400,
    code: 131056,
    title: '(Business Account, Consumer Account) pair rate limit hit',
    details:
      'Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.',
  }),
  unknownPhoneNumber: (id: string): MetaError => ({
    httpStatus: 400,
    code: 100,
    type: 'GraphMethodException',
    title: `Unsupported post request. Object with ID '${id}' does not exist`,
    details: 'Unknown phone number id',
  }),
  mediaNotFound: (): MetaError => ({
    httpStatus: 404,
    code: 100,
    title: 'Invalid parameter',
    details: 'Unknown media id',
  }),
  /** Any code injected by a test: a generic envelope with that code. */
  injected: (code: number, httpStatus = code >= 500 && code < 600 ? code : 400): MetaError => ({
    httpStatus,
    code,
    title: `Injected error ${code}`,
    details: `Error ${code} injected through the simulator's fault API`,
  }),
};

/** Meta's error envelope: `{"error":{"message":"(#code) title",…}}`. */
export function errorEnvelope(error: MetaError): Record<string, unknown> {
  return {
    error: {
      message: `(#${error.code}) ${error.title}`,
      type: error.type ?? 'OAuthException',
      code: error.code,
      error_data: { messaging_product: 'whatsapp', details: error.details },
      fbtrace_id: randomBytes(17).toString('base64url').slice(0, 23),
    },
  };
}
