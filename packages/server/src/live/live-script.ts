// The inbox without reload, served at the end of `/ui/app.js` (pages/assets.ts) so that pages keep
// one script element; it does nothing outside `/inbox/` and `/inbox/c/:id` pages that carry a start
// point (not an error page, not with live updates off). Progressive enhancement only: the pages work without it.
// On a change it fetches the page it is on again and swaps in the server-rendered (escaped) regions
// (the list's table, a conversation's transcript and facts), never the forms an agent is typing in;
// the change events carry ids only, so no visitor or note text is ever built into HTML here.
//
// Keyboard focus inside a swapped region moves to the same control in the fresh one (by its id,
// href or name and value, within the same table row), else to the region or its heading: never to
// <body>, which would send a keyboard or screen-reader user back to the top (WCAG 2.4.3).
// A refresh that fails is retried with backoff (1 s doubling to 30 s) and, from the second failure
// on, the page says its data may be out of date; a dropped stream is said too, and once it is back
// (`hello`) the page refreshes once, so that nothing published meanwhile stays missing. The status
// region's `data-state` is `interrupted`, `stale` or empty.
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
live.className='live-status';live.id='live-status';live.setAttribute('data-state','');
main.insertBefore(live,main.firstChild);
var say=function(text,state){live.setAttribute('data-state',state||'');live.textContent='';setTimeout(function(){live.textContent=text;},50);};
var regions=list?[{sel:'.table-wrap',home:null}]:[{sel:'section[aria-labelledby="transcript-h"] > ol',home:'#transcript-h'},{sel:'section[aria-labelledby="facts-h"] dl',home:'#facts-h'}];
var esc=window.CSS&&CSS.escape?CSS.escape:function(s){return String(s).replace(/["\\\\]/g,'\\\\$&');};
var rowOf=function(el){var tr=el.closest('tr');var a=tr&&tr.querySelector('a[href^="/inbox/c/"]');return a?a.getAttribute('href'):null;};
var selOf=function(el){
  var tag=el.tagName.toLowerCase();
  if(el.id)return '#'+esc(el.id);
  var href=el.getAttribute('href');if(href!==null)return tag+'[href="'+esc(href)+'"]';
  var name=el.getAttribute('name');if(name!==null)return tag+'[name="'+esc(name)+'"][value="'+esc(el.value||'')+'"]';
  return tag;
};
var keyOf=function(root,el){
  if(el===root)return {root:true};
  var row=rowOf(el),sel=selOf(el),scope=row===null?root:el.closest('tr');
  return {row:row,sel:sel,nth:Array.prototype.indexOf.call(scope.querySelectorAll(sel),el)};
};
var find=function(root,key){
  if(key.root)return root;
  var scope=root;
  if(key.row!==null){var a=root.querySelector('a[href="'+esc(key.row)+'"]');scope=a&&a.closest('tr');if(!scope)return null;}
  var all=scope.querySelectorAll(key.sel);return all[key.nth]||all[0]||null;
};
var focusOn=function(el){if(!el.hasAttribute('tabindex')&&!el.matches('a[href],button,input,select,textarea,summary'))el.setAttribute('tabindex','-1');el.focus({preventScroll:true});};
var swap=function(doc){
  var found=regions.map(function(r){return {r:r,now:document.querySelector(r.sel),fresh:doc.querySelector(r.sel)};});
  // A sign-in page or another answer without the regions is a failed refresh, not an empty page.
  if(found.some(function(x){return x.now&&!x.fresh;}))throw new Error('regions');
  found.forEach(function(x){
    if(!x.now)return;
    var active=document.activeElement,had=active&&x.now.contains(active);
    var key=had?keyOf(x.now,active):null,left=x.now.scrollLeft;
    var fresh=document.adoptNode(x.fresh);
    x.now.replaceWith(fresh);fresh.scrollLeft=left;
    if(!had)return;
    var target=find(fresh,key)||(fresh.hasAttribute('tabindex')?fresh:(x.r.home&&document.querySelector(x.r.home))||fresh);
    focusOn(target);
  });
};
var pending=null,busy=false,stale=false,failures=0,retry=0,outdated=false,ended=false;
var refresh=function(){
  if(busy||retry||ended)return;busy=true;
  var next=pending;pending=null;stale=false;
  fetch(location.href,{credentials:'same-origin',headers:{accept:'text/html'}}).then(function(r){
    // A deleted conversation will not come back: stop, say so, keep what is shown.
    if(r.status===404&&conv){ended=true;es.close();say(t.gone);return null;}
    if(!r.ok||r.redirected)throw new Error(String(r.status));return r.text();
  }).then(function(text){
    if(text===null){busy=false;return;}
    swap(new DOMParser().parseFromString(text,'text/html'));
    document.body.setAttribute('data-live-version',String(Number(document.body.getAttribute('data-live-version')||0)+1));
    document.dispatchEvent(new Event('lotse:live-refreshed'));
    failures=0;
    var was=outdated;outdated=false;document.body.removeAttribute('data-live-stale');
    if(next){
      var a=document.querySelector('a[href="/inbox/c/'+encodeURIComponent(next.handoffId)+'"]');
      var facts=document.querySelector('#facts-h');
      var ticket=a?a.textContent:facts?facts.getAttribute('data-ticket'):'';
      var key=next.kind==='created'?'created':next.kind==='sla'?(next.sla==='overdue'?'overdue':'dueSoon'):next.kind==='message'?(next.from==='visitor'?'visitorMessage':'agentMessage'):'changed';
      say(t[key].replace('{ticket}',ticket||''));
    }else if(was){say(t.upToDate);}
    busy=false;if(pending||stale)refresh();
  }).catch(function(){
    busy=false;
    // What this attempt was for is still owed: the newest change to announce, and a fresh page.
    if(next&&!pending)pending=next;
    stale=true;failures++;
    if(failures>=2&&!outdated){outdated=true;document.body.setAttribute('data-live-stale','true');say(t.stale,'stale');}
    // Spread (0.5–1.5 times the wait), so that many open pages do not ask at the same moment.
    retry=setTimeout(function(){retry=0;refresh();},Math.min(30000,1000*Math.pow(2,failures-1))*(0.5+Math.random()));
  });
};
// Back online or reconnected: retry at once rather than at the end of the backoff.
var refreshNow=function(){if(retry){clearTimeout(retry);retry=0;}refresh();};
window.addEventListener('online',function(){if(stale)refreshNow();});
var lastId=main.getAttribute('data-live-after'),down=false,reopen=1000,es;
var connect=function(){
  es=new EventSource('/inbox/events'+(lastId?'?after='+encodeURIComponent(lastId):''));
  es.addEventListener('hello',function(){
    reopen=1000;
    if(!down)return;
    // After a restart every open page reconnects at once: their refreshes spread over 2 s.
    down=false;say(t.reconnected);stale=true;setTimeout(refreshNow,Math.random()*2000);
  });
  es.addEventListener('change',function(e){
    if(e.lastEventId)lastId=e.lastEventId;
    var c;try{c=JSON.parse(e.data);}catch(_){return;}
    if(conv&&c.handoffId!==id)return;
    pending=c;refresh();
  });
  es.addEventListener('reset',function(){stale=true;refresh();});
  es.addEventListener('end',function(){ended=true;es.close();say(t.ended);});
  es.addEventListener('error',function(){
    if(ended)return;
    if(!down){down=true;say(t.interrupted,'interrupted');}
    // The browser reconnects by itself (after the stream's retry) unless the answer was not a
    // stream (a proxy's error page, a restart's 502): then a new one, from the last change seen.
    if(es.readyState===EventSource.CLOSED){es.close();setTimeout(connect,reopen*(0.5+Math.random()));reopen=Math.min(30000,reopen*2);}
  });
};
connect();
})();
`;
