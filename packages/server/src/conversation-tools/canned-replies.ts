// Canned replies in a conversation: the served knowledge base's answers for the conversation's entry
// first, then its topic, in the conversation's language, as plain text; then the team's snippets.
// "Use" fills the reply box (a reload with `?canned=` without script, at once with it); nothing is
// sent until the agent presses "Send reply".
import { answerToPlainText, isLang } from '@lotse/triage';
import type { AppDeps } from '../http/deps.js';
import type { InboxHandoff } from '../inbox/inbox-queries.js';
import { fill } from '../kb/kb-messages.js';
import { servedTriage } from '../kb/served-triage.js';
import { html, type SafeHtml } from '../pages/html.js';
import type { PageLocale } from '../pages/i18n.js';
import { toolsMessagesFor } from './conversation-tools-messages.js';

/** One reply an agent can insert. */
export interface CannedReply {
  /** `kb:<entry id>` or `snippet:<snippet id>`: what `?canned=` carries. */
  key: string;
  source: 'kb' | 'snippet';
  title: string;
  text: string;
  /** The knowledge-base entry the visitor's question matches. */
  matched: boolean;
}

/** Knowledge-base answers offered at most (the matched entry and its topic's others). */
export const MAX_KB_REPLIES = 6;

/**
 * The canned replies of a conversation: knowledge-base answers (the entry the served model matches
 * for the visitor's question, then the other entries of the conversation's topic) in the
 * conversation's language, then the site's snippets for that language or for all.
 */
export async function cannedReplies(
  deps: AppDeps,
  h: InboxHandoff,
  question: string,
  pageLocale: PageLocale,
): Promise<CannedReply[]> {
  const out: CannedReply[] = [];
  const served = servedTriage(deps.models, h.siteKey, deps.options.logger);
  const wanted = h.locale ?? pageLocale;
  if (served !== undefined) {
    const model = served.triage.model;
    const locale = isLang(wanted) && model.locales.includes(wanted) ? wanted : model.defaultLocale;
    const decided = served.triage.decide(question, { locale });
    const matched = decided.entry?.id;
    const topic = h.topic ?? decided.topic;
    const inLocale = model.entries.filter((e) => e.locale === locale);
    const picked = [
      ...inLocale.filter((e) => e.id === matched),
      ...inLocale.filter((e) => e.id !== matched && topic !== undefined && e.topic === topic),
    ].slice(0, MAX_KB_REPLIES);
    for (const e of picked) {
      out.push({
        key: `kb:${e.id}`,
        source: 'kb',
        title: e.title,
        text: answerToPlainText(e.answer),
        matched: e.id === matched,
      });
    }
  }
  for (const s of await deps.store.listSnippets(h.siteKey)) {
    if (s.locale !== null && s.locale !== wanted) continue;
    out.push({
      key: `snippet:${s.id}`,
      source: 'snippet',
      title: s.title,
      text: s.text,
      matched: false,
    });
  }
  return out;
}

/** The section of the conversation page; `inserted` is the reply `?canned=` put into the reply box. */
export function cannedRepliesSection(options: {
  replies: readonly CannedReply[];
  base: string;
  siteKey: string;
  locale: PageLocale;
  inserted: boolean;
}): SafeHtml {
  const tt = toolsMessagesFor(options.locale);
  const group = (source: CannedReply['source'], heading: string) => {
    const items = options.replies.filter((r) => r.source === source);
    if (items.length === 0) return null;
    return html`<h3>${heading}</h3>
    <ul class="canned">${items.map((r) => {
      const id = `canned-${r.key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
      return html`<li><p><strong>${r.title}</strong>${r.matched ? html` · ${tt.matchedEntry}` : null}</p>
      <p class="msg" id="${id}">${r.text}</p>
      <form method="get" action="${options.base}#reply" data-canned="${id}">
        <input type="hidden" name="canned" value="${r.key}">
        <button type="submit" class="secondary" aria-label="${fill(tt.useTitle, { title: r.title })}">${tt.use}</button>
      </form></li>`;
    })}</ul>`;
  };
  return html`<section class="card" aria-labelledby="canned-h">
  <h2 id="canned-h">${tt.cannedReplies}</h2>
  <p id="canned-hint">${tt.cannedHint}</p>
  <p id="canned-status" role="status" data-text="${tt.inserted}">${options.inserted ? tt.inserted : null}</p>
  ${options.replies.length === 0 ? html`<p>${tt.noCanned}</p>` : null}
  ${group('kb', tt.fromKb)}
  ${group('snippet', tt.snippets)}
  <p><a href="/inbox/snippets?site=${encodeURIComponent(options.siteKey)}">${tt.manageSnippets}</a></p>
</section>`;
}

// Served from our origin for the pages' `script-src 'self'`. Progressive enhancement: without it,
// "Use" reloads the page with the reply box filled (and a draft is lost when another form posts).
export const conversationJs = `(function(){
var box=document.getElementById('reply');if(!box)return;var touched=false;
box.addEventListener('focus',function(){touched=true;});
// The other forms (checklist, note, tags) reload the page: an unsent reply is kept for this tab
// and put back. Sending it does not drop it (the session may have ended: 401, sign in, back here):
// the form's id is noted, and the draft goes once a page shows the message of that id, stored.
var key='lotse:reply:'+location.pathname,sentKey='lotse:reply-sent:'+location.pathname;
var keep=function(){try{if(box.value)sessionStorage.setItem(key,box.value);else sessionStorage.removeItem(key);}catch(_){}};
try{
  var sent=sessionStorage.getItem(sentKey);
  if(sent&&Array.prototype.some.call(document.querySelectorAll('[data-message-id]'),function(li){return li.getAttribute('data-message-id')===sent;})){
    sessionStorage.removeItem(key);sessionStorage.removeItem(sentKey);
  }
  var draft=sessionStorage.getItem(key);if(draft&&box.value==='')box.value=draft;
}catch(_){}
box.addEventListener('input',keep);
document.addEventListener('submit',function(e){
  var f=e.target;if(!f||!f.getAttribute)return;
  if(f.contains(box)){keep();var formId=f.querySelector('input[name="id"]');try{if(formId)sessionStorage.setItem(sentKey,formId.value);}catch(_){}return;}
  var id=f.getAttribute('data-canned');if(!id)return;
  var src=document.getElementById(id);if(!src)return;
  e.preventDefault();var text=src.textContent;
  // Where the agent's cursor was; before they have been in the box, after what it holds.
  if(box.value===''){box.value=text;}
  else if(!touched){box.value=box.value+'\\n\\n'+text;}
  else{box.setRangeText(text,box.selectionStart,box.selectionEnd,'end');}
  box.focus();keep();
  var s=document.getElementById('canned-status');if(s){s.textContent='';s.textContent=s.getAttribute('data-text');}
});
})();
`;
