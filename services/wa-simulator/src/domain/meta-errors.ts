import { randomBytes } from 'node:crypto';

/**
 * One of Meta's Graph API errors: the HTTP status it comes with and the envelope's fields. `whatsapp` errors
 * (the Cloud API's own codes) read `(#code) title` with `error_data`; `graph` errors (token, unknown object or
 * path) are the Graph API's generic ones: the message as is, no `error_data`, sometimes an `error_subcode`.
 */
export interface MetaError {
  httpStatus: number;
  code: number;
  title: string;
  /** `error_data.details` of a `whatsapp` error; the details of a failed status. */
  details: string;
  type?: string;
  style?: 'whatsapp' | 'graph';
  subcode?: number;
  /** Graph's `error_user_title` / `error_user_msg`: what a person should read (template management answers). */
  userTitle?: string;
  userMessage?: string;
}

/** Graph's answer to a GET or POST on an object it does not know or the token may not see (100/33). */
function unknownObject(id: string, method: 'get' | 'post' | 'delete'): MetaError {
  return {
    httpStatus: 400,
    code: 100,
    subcode: 33,
    type: 'GraphMethodException',
    style: 'graph',
    title: `Unsupported ${method} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`,
    details: 'Unknown object id',
  };
}

/** The errors the simulator produces, with Meta's wording (whatsapp-cloud-api.md §7). */
export const metaErrors = {
  /** Graph's answer to a token it cannot read: message as is, no `(#190)`, no `error_data`. */
  invalidToken: (): MetaError => ({
    httpStatus: 401,
    code: 190,
    type: 'OAuthException',
    style: 'graph',
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
  /** Graph's answer to a POST on an id it does not know (code 100, subcode 33). */
  unknownPhoneNumber: (id: string): MetaError => ({
    ...unknownObject(id, 'post'),
    details: 'Unknown phone number id',
  }),
  unknownObject,
  /** Graph's answer to a path it has no edge for, or a version it does not know. */
  unknownPath: (path: string): MetaError => ({
    httpStatus: 400,
    code: 2500,
    type: 'OAuthException',
    style: 'graph',
    title: `Unknown path components: ${path}`,
    details: 'Unknown path',
  }),
  /** Something broke in the simulator itself: Graph's generic transient error. */
  unknown: (): MetaError => ({
    httpStatus: 500,
    code: 1,
    type: 'OAuthException',
    style: 'graph',
    title: 'An unknown error has occurred.',
    details: 'Internal error',
  }),
  /**
   * A media file Meta refuses (§7.3, §8 item 8): a MIME type it does not take, bytes that are not what the
   * MIME type says, a file over the type's size, a link it cannot download.
   */
  mediaUploadError: (details: string): MetaError => ({
    httpStatus: 400,
    code: 131053,
    title: 'Media upload error',
    details,
  }),
  /**
   * A send whose `<type>.id` is no media this number uploaded (unknown, expired, another number's): refused at
   * once with #100, worded as Graph answers it (client libraries match this text; not quoted in the docs).
   */
  invalidMediaId: (type: string): MetaError => ({
    httpStatus: 400,
    code: 100,
    title: `Param ${type}['id'] is not a valid whatsapp business account media attachment ID`,
    details: `Param ${type}['id'] is not a valid whatsapp business account media attachment ID`,
  }),
  invalidMediaLink: (type: string): MetaError => ({
    httpStatus: 400,
    code: 100,
    title: `Param ${type}['link'] is not a valid URI.`,
    details: `Param ${type}['link'] is not a valid URI.`,
  }),
  /**
   * A template send Meta refuses (whatsapp-cloud-api.md §5.5, §7.3): 132000 count, 132001 unknown or not
   * approved or another language, 132012 format, 132015 paused; titles as Meta's error-code table words them.
   */
  templateSend: (code: number, details: string): MetaError => ({
    httpStatus: 400,
    code,
    title: templateErrorTitles[code] ?? 'Template error',
    details,
  }),
  /**
   * Graph's answer to a template definition or management call it refuses: code 100 with the person-readable
   * `error_user_title` / `error_user_msg` (and a subcode where Meta gives one, e.g. 2388024 for a language that
   * already exists).
   */
  templateManagement: (userTitle: string, userMessage: string, subcode?: number): MetaError => ({
    httpStatus: 400,
    code: 100,
    type: 'OAuthException',
    style: 'graph',
    title: 'Invalid parameter',
    details: userMessage,
    userTitle,
    userMessage,
    ...(subcode !== undefined ? { subcode } : {}),
  }),
  /** Any code injected by a test: a generic envelope with that code. */
  injected: (code: number, httpStatus = code >= 500 && code < 600 ? code : 400): MetaError => ({
    httpStatus,
    code,
    title: `Injected error ${code}`,
    details: `Error ${code} injected through the simulator's fault API`,
  }),
};

const templateErrorTitles: Record<number, string> = {
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  132012: 'Parameter format does not match format in the created template',
  132015: 'Template is Paused',
};

/** Meta's error envelope: `{"error":{message,type,code,[error_subcode],[error_data],fbtrace_id}}`. */
export function errorEnvelope(error: MetaError): Record<string, unknown> {
  const graph = error.style === 'graph';
  return {
    error: {
      message: graph ? error.title : `(#${error.code}) ${error.title}`,
      type: error.type ?? 'OAuthException',
      code: error.code,
      ...(error.subcode !== undefined ? { error_subcode: error.subcode } : {}),
      ...(error.userTitle !== undefined
        ? { is_transient: false, error_user_title: error.userTitle, error_user_msg: error.userMessage }
        : {}),
      ...(graph ? {} : { error_data: { messaging_product: 'whatsapp', details: error.details } }),
      fbtrace_id: randomBytes(17).toString('base64url').slice(0, 23),
    },
  };
}
