import type { RouterConfig } from './config.js';
import type { MenuTexts } from './domain/menu.js';
import type { RouterTexts } from './domain/session.js';

export function routerTexts(config: RouterConfig): RouterTexts & MenuTexts {
  return {
    greeting: config.MENU_GREETING,
    listButton: config.MENU_BUTTON,
    sectionTitle: config.MENU_SECTION_TITLE,
    moreTitle: config.MENU_MORE,
    firstPageTitle: config.MENU_FIRST_PAGE,
    ...(config.MENU_FOOTER ? { footer: config.MENU_FOOTER } : {}),
    exitKeyword: config.EXIT_KEYWORD,
    goodbye: config.TEXT_GOODBYE,
    connecting: config.TEXT_CONNECTING,
    agentUnavailable: config.TEXT_AGENT_UNAVAILABLE,
    noAgents: config.TEXT_NO_AGENTS,
    endedByAgent: config.TEXT_ENDED_BY_AGENT,
    transferred: config.TEXT_TRANSFERRED,
  };
}
