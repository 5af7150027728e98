// The conversation view and its surveys, loaded when a returning visitor opens one of their requests.
export { ConversationView } from '../ui/conversation-view.js';
