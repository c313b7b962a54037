import { createAgent, isWindowOpen } from '@wa-broker/agent-sdk';

const agent = createAgent({
  agent: process.env.AGENT_NAME ?? 'Echo',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(','),
  // The agent's own credential: what the admin returned in `kafka` when it created (or rotated) the agent.
  auth: {
    mechanism: 'scram-sha-512',
    username: process.env.KAFKA_USERNAME ?? '',
    password: process.env.KAFKA_PASSWORD ?? '',
  },
});

agent
  .on('session_started', (_message, { reply }) => reply.text('Hi! I repeat what you write. #exit leaves.'))
  .on('text', async (message, { reply }) => {
    if (message.wamid) await reply.markAsRead(message.wamid);
    if (!isWindowOpen(message)) return; // only templates may be sent now
    await reply.text(`You said: ${message.text}`, { replyTo: message.wamid });
  })
  .on('reply', (message, { reply }) => reply.text(`You picked ${message.reply.title}`))
  .on('status', (status, { logger }) => logger.info({ status: status.status.status }, 'delivery status'))
  // The code, not `error.text`: the text can name the user (log `user`, which the logger already carries).
  .on('error', (error, { logger }) => logger.warn({ code: error.code }, 'the broker refused a reply'));

await agent.start();
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void agent.stop().then(() => process.exit(0)));
}
