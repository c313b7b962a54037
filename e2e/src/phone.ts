import { eventually } from '@wa-broker/infra/poll';

/** Drives simulated users through the simulator's API, as a person on the phone page would. */
export interface ChatEntry {
  seq: number;
  wamid: string;
  direction: 'in' | 'out';
  type: string;
  content: Record<string, unknown>;
  status?: string;
  error?: { code: number; title: string };
  /** The business number the message went to or came from. */
  phone_number_id?: string;
}

/** A row or button of an interactive message. */
export interface MenuChoice {
  kind: 'list_reply' | 'button_reply';
  id: string;
  title: string;
}

/** The agent every e2e system registers (its title starts with E2E). */
export const isE2eAgent = (title: string) => title.startsWith('E2E');

export class Phone {
  constructor(private readonly simulatorUrl: string) {}

  async say(waId: string, text: string, name = 'E2E User'): Promise<ChatEntry> {
    return this.act(waId, { type: 'text', text, name });
  }

  async act(waId: string, action: Record<string, unknown>): Promise<ChatEntry> {
    const response = await fetch(`${this.simulatorUrl}/sim/users/${waId}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(action),
    });
    if (response.status !== 202)
      throw new Error(`simulated user ${waId}: ${response.status} ${await response.text()}`);
    return (await response.json()) as ChatEntry;
  }

  async chat(waId: string): Promise<ChatEntry[]> {
    const response = await fetch(`${this.simulatorUrl}/sim/users/${waId}/messages`);
    return ((await response.json()) as { messages: ChatEntry[] }).messages;
  }

  /** Business messages the user received, oldest first. */
  async received(waId: string): Promise<ChatEntry[]> {
    return (await this.chat(waId)).filter((entry) => entry.direction === 'out');
  }

  /** Waits until a business message matching `match` arrives; returns it. */
  async waitFor(
    waId: string,
    match: (entry: ChatEntry) => boolean,
    what: string,
    timeoutMs = 20_000,
  ): Promise<ChatEntry> {
    let chat: ChatEntry[] = [];
    return eventually(
      async () => {
        chat = await this.chat(waId);
        return chat.find((entry) => entry.direction === 'out' && match(entry));
      },
      {
        what: `${waId} to receive ${what}`,
        timeoutMs,
        intervalMs: 100,
        detail: () => `chat: ${JSON.stringify(chat, null, 1).slice(0, 3000)}`,
      },
    );
  }

  /**
   * Waits for the agent menu and taps the first option whose title `isWanted` accepts, as the user would; throws,
   * listing the options, when there is none.
   */
  async choose(
    waId: string,
    isWanted: (title: string) => boolean,
    timeoutMs = 20_000,
    /** The business number whose menu to answer (default: any, and the reply goes to the default number). */
    phoneNumberId?: string,
  ): Promise<{ menu: ChatEntry; choice: MenuChoice }> {
    const menu = await this.waitFor(
      waId,
      (entry) =>
        entry.type === 'interactive' &&
        (phoneNumberId === undefined || entry.phone_number_id === phoneNumberId),
      'the agent menu',
      timeoutMs,
    );
    const choice = Phone.choices(menu).find((option) => isWanted(option.title));
    if (!choice)
      throw new Error(`${waId}: the menu has no such option: ${JSON.stringify(Phone.choices(menu))}`);
    await this.act(waId, {
      type: choice.kind,
      id: choice.id,
      title: choice.title,
      context_message_id: menu.wamid,
      ...(phoneNumberId ? { phone_number_id: phoneNumberId } : {}),
    });
    return { menu, choice };
  }

  /** The rows or buttons of an interactive message, as the user sees them. */
  static choices(entry: ChatEntry): MenuChoice[] {
    const content = entry.content as {
      type?: string;
      action?: {
        sections?: { rows: { id: string; title: string }[] }[];
        buttons?: { reply: { id: string; title: string } }[];
      };
    };
    if (content.type === 'list')
      return (content.action?.sections ?? []).flatMap((section) =>
        section.rows.map((row) => ({ kind: 'list_reply' as const, ...row })),
      );
    return (content.action?.buttons ?? []).map((button) => ({
      kind: 'button_reply' as const,
      ...button.reply,
    }));
  }

  async faults(faults: Record<string, unknown>): Promise<void> {
    await fetch(`${this.simulatorUrl}/sim/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(faults),
    });
  }

  async setLastInbound(waId: string, at: Date): Promise<void> {
    await fetch(`${this.simulatorUrl}/sim/users/${waId}/last-inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ at: at.toISOString() }),
    });
  }

  static text(entry: ChatEntry): string {
    const content = entry.content as { body?: string | { text?: string } };
    return typeof content.body === 'string' ? content.body : (content.body?.text ?? '');
  }
}
