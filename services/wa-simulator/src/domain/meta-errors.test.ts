import { describe, expect, it } from 'vitest';
import { errorEnvelope, metaErrors } from './meta-errors.js';

describe('errorEnvelope', () => {
  // whatsapp-cloud-api.md §7.2: the Cloud API's own errors read "(#code) title" with error_data.
  it("wraps the Cloud API's codes as (#code) title with error_data, like Meta's sample", () => {
    expect(errorEnvelope(metaErrors.throughput())).toEqual({
      error: {
        message: '(#130429) Rate limit hit',
        type: 'OAuthException',
        code: 130429,
        error_data: {
          messaging_product: 'whatsapp',
          details:
            'Message failed to send because there were too many messages sent from this phone number in a short period of time',
        },
        fbtrace_id: expect.stringMatching(/^[\w-]{23}$/),
      },
    });
  });

  // Issue 15 §6 (Meta's answer as seen by three client libraries): no "(#190)", no error_data.
  it('answers a bad token with Graph’s bare OAuthException 190', () => {
    expect(errorEnvelope(metaErrors.invalidToken())).toEqual({
      error: {
        message: 'Invalid OAuth access token - Cannot parse access token',
        type: 'OAuthException',
        code: 190,
        fbtrace_id: expect.any(String),
      },
    });
  });

  // Graph's generic answer for an id it does not know: code 100, error_subcode 33, GraphMethodException. The
  // shared docs do not quote it; the wording is Graph's as reported in public client issues (README).
  it('answers an unknown phone-number id with code 100 and error_subcode 33', () => {
    expect(errorEnvelope(metaErrors.unknownPhoneNumber('999'))).toEqual({
      error: {
        message:
          "Unsupported post request. Object with ID '999' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        type: 'GraphMethodException',
        code: 100,
        error_subcode: 33,
        fbtrace_id: expect.any(String),
      },
    });
  });
});
