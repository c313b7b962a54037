import { followNumberChanges, followTemplateChanges } from '@wa-broker/shared/agent-changes-follower';
import type { AgentOutboundMessage } from '@wa-broker/shared/agent-outbound';
import { createReadCommittedConsumer, ensureTopics } from '@wa-broker/shared/kafka';
import type { Logger } from '@wa-broker/shared/logger';
import { TemplateIndex } from '@wa-broker/shared/message-templates';
import { OutboundValidationError } from '@wa-broker/shared/outbound-rules';
import type { TemplateProblem } from '@wa-broker/shared/template-definition-rules';
import { checkTemplateSend } from '@wa-broker/shared/template-send-rules';
import { defaultTopics } from '@wa-broker/shared/topics';
import type { Admin, Consumer, Kafka } from 'kafkajs';

/**
 * A template send Meta would refuse (unknown, another language, not approved, paused, wrong parameters), by
 * field (`template.components[0].parameters`), with the code Meta would answer (132001, 132015, 132000, 132012).
 */
export class TemplateRefusedError extends OutboundValidationError {
  constructor(readonly problems: TemplateProblem[]) {
    super(problems.map((p) => `${p.field}: ${p.message}`).join('; '), problems[0]?.field ?? 'template');
    this.name = 'TemplateRefusedError';
  }
}

export interface TemplateCheckOptions {
  /** The admin's compacted template topic; default `template-changes`. */
  templateChangesTopic?: string;
  /** The admin's compacted number topic (a number's WABA); default `number-changes`. */
  numberChangesTopic?: string;
}

/**
 * The admin's template store, followed live (issue 19 §3): `check` throws {@link TemplateRefusedError} for a
 * template send from a number whose WABA the store knows. A send naming no number, or a number the store knows
 * nothing of, is left to the router (which checks again) and Meta.
 */
export function createTemplateCheck(kafka: Kafka, options: TemplateCheckOptions, groupBase: string) {
  const index = new TemplateIndex();
  const wabas = new Map<string, string>();
  const consumers: Consumer[] = [];
  const consumer = (what: string) => {
    const created = createReadCommittedConsumer(kafka, {
      groupId: `${groupBase}-${what}-${crypto.randomUUID()}`,
    });
    consumers.push(created);
    return created;
  };
  return {
    /** Resolves once both topics are read up to where they ended. */
    async load(admin: Admin, logger: Logger, replicationFactor: number): Promise<void> {
      const templateTopic = options.templateChangesTopic ?? defaultTopics.templateChanges;
      const numberTopic = options.numberChangesTopic ?? defaultTopics.numberChanges;
      // The admin creates them; whoever starts first does (compacted, like the admin's).
      const compacted = { 'cleanup.policy': 'compact' };
      await ensureTopics(
        admin,
        [templateTopic, numberTopic].map((topic) => ({ topic, configs: compacted })),
        { replicationFactor },
      );
      await Promise.all([
        followTemplateChanges({
          consumer: consumer('templates'),
          admin,
          topic: templateTopic,
          logger,
          apply: (template) => index.apply(template),
          remove: (key) => index.remove(key),
        }),
        followNumberChanges({
          consumer: consumer('numbers'),
          admin,
          topic: numberTopic,
          logger,
          apply: (number) => wabas.set(number.phone_number_id, number.waba_id),
          remove: (key) => wabas.delete(key),
        }),
      ]);
    },
    check(message: AgentOutboundMessage): void {
      const { template } = message;
      if (message.message_type !== 'template' || !template || !message.phone_number_id) return;
      const waba = wabas.get(message.phone_number_id);
      if (!waba || !index.knows(waba)) return;
      const problems = checkTemplateSend(template, index.recordsOf(waba, template.name));
      if (problems.length > 0) throw new TemplateRefusedError(problems);
    },
    stop: () => Promise.all(consumers.map((c) => c.disconnect())),
  };
}
