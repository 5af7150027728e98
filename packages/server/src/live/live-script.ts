// The inbox without reload, served at the end of `/ui/app.js` (pages/assets.ts) so that pages keep
// one script element; it does nothing outside `/inbox/` and `/inbox/c/:id` pages that carry a start
// point (not an error page, not with live updates off). Progressive enhancement only: the pages work without it.
// On a change it fetches the page it is on again and swaps in the server-rendered (escaped) regions
// (the list's table, a conversation's transcript and facts), never the forms an agent is typing in;
// the change events carry ids only, so no visitor or note text is ever built into HTML here.
import { liveMessages } from './live-messages.js';

/** The script's source, with both catalogs of {@link liveMessages} inlined. */
export const liveScript = `(function(){
if(!window.EventSource||!window.fetch||!window.DOMParser)return;
var M=${JSON.stringify(liveMessages)};
var t=M[document.documentElement.lang]||M.en;
var path=location.pathname;
var conv=/^\\/inbox\\/c\\/([^/]+)$/.exec(path);
var list=path==='/inbox/';
if(!list&&!conv)return;
var id=conv?decodeURIComponent(conv[1]):null;
var main=document.getElementById('main');if(!main||!main.hasAttribute('data-live-after'))return;
var live=document.createElement('div');
live.setAttribute('role','status');live.setAttribute('aria-live','polite');live.setAttribute('aria-label',t.regionLabel);
live.className='live-status';live.id='live-status';
main.insertBefore(live,main.firstChild);
var say=function(text){live.textContent='';setTimeout(function(){live.textContent=text;},50);};
var regions=list?['.table-wrap']:['section[aria-labelledby="transcript-h"] > ol','section[aria-labelledby="facts-h"] dl'];
var pending=null,busy=false,stale=false;
var refresh=function(){
  if(busy)return;busy=true;
  var next=pending;pending=null;stale=false;
  fetch(location.href,{credentials:'same-origin',headers:{accept:'text/html'}}).then(function(r){
    if(!r.ok)throw new Error(String(r.status));return r.text();
  }).then(function(text){
    var doc=new DOMParser().parseFromString(text,'text/html');
    regions.forEach(function(sel){var now=document.querySelector(sel),fresh=doc.querySelector(sel);if(now&&fresh)now.replaceWith(document.adoptNode(fresh));});
    document.body.setAttribute('data-live-version',String(Number(document.body.getAttribute('data-live-version')||0)+1));
    if(next){
      var a=document.querySelector('a[href="/inbox/c/'+encodeURIComponent(next.handoffId)+'"]');
      var facts=doc.querySelector('#facts-h');
      var ticket=a?a.textContent:facts?facts.getAttribute('data-ticket'):'';
      var key=next.kind==='created'?'created':next.kind==='sla'?(next.sla==='overdue'?'overdue':'dueSoon'):next.kind==='message'?(next.from==='visitor'?'visitorMessage':'agentMessage'):'changed';
      say(t[key].replace('{ticket}',ticket||''));
    }
  }).catch(function(){}).then(function(){busy=false;if(pending||stale)refresh();});
};
var after=main.getAttribute('data-live-after');
var es=new EventSource('/inbox/events'+(after?'?after='+encodeURIComponent(after):''));
es.addEventListener('change',function(e){
  var c;try{c=JSON.parse(e.data);}catch(_){return;}
  if(conv&&c.handoffId!==id)return;
  pending=c;refresh();
});
es.addEventListener('reset',function(){stale=true;refresh();});
es.addEventListener('end',function(){es.close();say(t.ended);});
})();
`;
