import { DomainError } from '@wa-broker/shared/errors';
import type { MessageTemplateRecord } from '@wa-broker/shared/message-templates';
import { type AdminErrorCode, invalidTemplate, templateNotFound, wabaNotFound } from './errors.js';
import {
  definitionProblems,
  type HeaderSampleFile,
  type HeaderSampleUploads,
  planHeaderSample,
  withHeaderHandle,
} from './header-media.js';
import type { GraphResult, GraphTemplates, TemplateStore, WabaTokens } from './ports.js';
import { createdRecord, type GraphFailure, graphFailureKind, type NewTemplate } from './template.js';
import type { TemplateTurns } from './template-turns.js';

export interface TemplateAuthoringDeps {
  store: TemplateStore;
  graph: GraphTemplates;
  tokens: WabaTokens;
  /** Meta's Resumable Upload API, for a media header's sample given as a file. */
  uploads?: HeaderSampleUploads;
  now: () => Date;
}

/**
 * The API's changes made at Meta first (issue 19 §2): create (checked against Meta's rules before anything is
 * submitted) and delete, then stored and announced in the WABA's turn (`turns`).
 */
export function createTemplateAuthoring(deps: TemplateAuthoringDeps, turns: TemplateTurns) {
  const { store } = deps;
  const { serially, announce } = turns;

  async function requireToken(wabaId: string): Promise<string> {
    const token = await deps.tokens.tokenFor(wabaId);
    if (!token) throw wabaNotFound(wabaId);
    return token;
  }

  function graphError(failure: GraphFailure, action: string): DomainError<AdminErrorCode> {
    const kind = graphFailureKind(failure);
    const meta = {
      ...(failure.httpStatus ? { meta_http_status: failure.httpStatus } : {}),
      ...(failure.code !== undefined ? { meta_code: failure.code } : {}),
      ...(failure.subcode !== undefined ? { meta_subcode: failure.subcode } : {}),
    };
    if (kind === 'rate_limited')
      return new DomainError('graph_rate_limited', `Meta's rate limit: ${failure.message}`, meta);
    if (kind === 'refused')
      return new DomainError('template_refused', `Meta refused to ${action}: ${failure.message}`, meta);
    return new DomainError(
      'graph_unavailable',
      `the Graph API could not ${action}: ${failure.message}`,
      meta,
    );
  }

  function unwrap<T>(result: GraphResult<T>, action: string): T {
    if (!result.ok) throw graphError(result.failure, action);
    return result.value;
  }

  return {
    /**
     * Checks the definition against Meta's rules (nothing is submitted when one fails), submits it, then stores
     * and publishes the template Meta accepted (usually PENDING until its review). A media header's sample given
     * as a file (`headerMedia`) is checked with Meta's media rules for the header's format, then uploaded through
     * the Resumable Upload API, its handle becoming the header's `example.header_handle`.
     */
    async create(input: NewTemplate, headerMedia?: HeaderSampleFile): Promise<MessageTemplateRecord> {
      const plan = headerMedia ? planHeaderSample(input.components, headerMedia) : undefined;
      // Checked with a stand-in handle first: a definition Meta would refuse uploads nothing.
      const problems = definitionProblems(input, plan);
      if (problems.length > 0) throw invalidTemplate(problems);
      const token = await requireToken(input.wabaId);
      let submitted = input;
      if (plan?.ok && headerMedia) {
        if (!deps.uploads)
          throw new DomainError<AdminErrorCode>(
            'graph_unavailable',
            'header sample uploads are not configured',
          );
        const handle = unwrap(await deps.uploads.upload(token, headerMedia), 'upload the header sample');
        submitted = { ...input, components: withHeaderHandle(input.components, plan.index, handle) };
        const withHandle = definitionProblems(submitted);
        if (withHandle.length > 0) throw invalidTemplate(withHandle);
      }
      return serially(input.wabaId, async () => {
        const accepted = unwrap(
          await deps.graph.create(input.wabaId, token, submitted),
          `create template ${input.name}`,
        );
        const template = createdRecord(submitted, accepted, deps.now());
        await store.upsert([template]);
        await announce([{ type: 'created', template }]);
        return template;
      });
    },

    /**
     * Deletes one language's template (`language`) or every language of the name at Meta, then marks them
     * DELETED and publishes them. 404 when the store has no such template that is not deleted already.
     */
    async remove(wabaId: string, name: string, language?: string): Promise<MessageTemplateRecord[]> {
      const token = await requireToken(wabaId);
      return serially(wabaId, async () => {
        const live = (await store.list({ wabaId, name, ...(language ? { language } : {}) })).filter(
          (template) => template.status !== 'DELETED',
        );
        if (live.length === 0) throw templateNotFound(wabaId, name, language);
        unwrap(
          await deps.graph.remove(wabaId, token, name, language ? live[0]?.id : undefined),
          `delete template ${name}`,
        );
        const now = deps.now().toISOString();
        const deleted = live.map((template) => ({
          ...template,
          status: 'DELETED' as const,
          updated_at: now,
        }));
        await store.upsert(deleted);
        await announce(deleted.map((template) => ({ type: 'deleted' as const, template })));
        return deleted;
      });
    },
  };
}
