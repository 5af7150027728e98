import { BAR_STEPS } from './dashboard-charts.js';

// The dashboard's own client script and stylesheet, served by pages/assets.ts as /ui/dashboard.js
// and /ui/dashboard.css.

/**
 * Draws the daily trend with uPlot from the page's `data-points` and `data-range` (see
 * dashboard-charts.ts). The x scale is pinned to the days that have data, on a UTC clock (the
 * days are the site's local days already), so one day shows that day's hours instead of the
 * years uPlot pads a single point to. The ticks it draws are kept in `data-x-splits`, `data-x-ticks` and
 * `data-y-ticks` for tests; the table beside the chart carries the same figures for screen
 * readers and readers without script.
 */
export const dashboardJs = `(function(){
var el=document.getElementById('chart-trend');if(!el||!window.uPlot)return;
var pts=JSON.parse(el.getAttribute('data-points')||'[]'),range=JSON.parse(el.getAttribute('data-range')||'null');
if(!pts.length||!range)return;
var tag=document.documentElement.lang==='de'?'de-DE':'en-GB';
var hour=new Intl.DateTimeFormat(tag,{hour:'2-digit',minute:'2-digit',timeZone:'UTC'});
var day=new Intl.DateTimeFormat(tag,{day:'numeric',month:'short',timeZone:'UTC'});
var whole=new Intl.NumberFormat(tag,{maximumFractionDigits:0});
var H=3600,D=86400;
function xTicks(u,splits,ax,space,incr){
  var out=splits.map(function(s){var d=new Date(s*1000);
    if(incr>=D)return day.format(d);
    return d.getUTCHours()===0&&d.getUTCMinutes()===0?day.format(d):hour.format(d);});
  el.setAttribute('data-x-splits',JSON.stringify(splits));el.setAttribute('data-x-ticks',JSON.stringify(out));return out;}
function yTicks(u,splits){var out=splits.map(function(v){return whole.format(v);});
  el.setAttribute('data-y-ticks',JSON.stringify(out));return out;}
var col=function(i){return pts.map(function(p){return p[i];});};
var size=function(){return Math.max(280,Math.min(760,el.clientWidth||760));};
var chart=new uPlot({width:size(),height:260,
  tzDate:function(ts){return uPlot.tzDate(new Date(ts*1000),'Etc/UTC');},
  scales:{x:{time:true,range:function(){return [range[0],range[1]];}},
    y:{range:function(u,lo,hi){return [0,Math.max(4,Math.ceil((hi||0)*1.15))];}},
    pct:{range:[0,100]}},
  cursor:{y:false},
  series:[{label:el.getAttribute('data-label-day'),value:function(u,v){return v==null?'':day.format(new Date(v*1000));}},
    {label:el.getAttribute('data-label-conversations'),stroke:'#0b5cad',fill:'rgba(11,92,173,0.35)',width:1,
      paths:uPlot.paths.bars({size:[0.6,56]}),points:{show:false}},
    {label:el.getAttribute('data-label-self'),stroke:'#1a7f37',width:2,scale:'pct',points:{show:true,size:8}},
    {label:'CSAT %',stroke:'#a4000f',width:2,scale:'pct',dash:[6,4],points:{show:true,size:8}}],
  axes:[{values:xTicks,incrs:[H,2*H,3*H,6*H,12*H,D,2*D,7*D,14*D,28*D],space:56},
    {values:yTicks,incrs:[1,2,5,10,20,50,100,200,500,1000,2000,5000,10000,20000,50000]},
    {scale:'pct',side:1,grid:{show:false},incrs:[10,20,25,50],values:function(u,s){return s.map(function(v){return v+' %';});}}]},
  [col(0),col(1),col(2),col(3)],el);
window.addEventListener('resize',function(){chart.setSize({width:size(),height:260});});
})();
`;

// Tiles in a grid that wraps from one column on a phone to four on a desktop. A bar's height is a
// class in 2 % steps of 84 % of the plot (the rest holds its count above it).
export const dashboardCss = `.kpi-tiles{display:grid;gap:.75rem;grid-template-columns:repeat(auto-fill,minmax(14rem,1fr));list-style:none;margin:0 0 1rem;padding:0}
.kpi{margin:0;display:flex;flex-direction:column}
.kpi h3{margin:0;font-size:1rem}
.kpi-value{font-size:1.9rem;font-weight:700;margin:.2rem 0;line-height:1.2}
.kpi dl{margin:0;font-size:.9rem}
.kpi dl div{display:flex;flex-wrap:wrap;gap:0 .4rem}
.kpi dt{font-weight:600}
.kpi dt::after{content:":"}
.kpi dd{margin:0}
.kpi-better{color:#1a6b2f}
.kpi-worse{color:#a4000f}
.kpi-period,.kpi-def{color:#4a535d;font-size:.85rem}
.kpi-def{margin:.4rem 0 0}
.empty-state{background:#fff;border:1px dashed #8a94a0;border-radius:.4rem;padding:1rem;font-weight:600}
.chart-figure{margin:0 0 .5rem}
.chart-table{margin:0 0 1rem}
.chart-table summary{cursor:pointer;padding:.2rem 0}
.distributions{display:grid;gap:1rem;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr))}
.distribution h3{font-size:1rem;margin:.2rem 0}
.bars{display:flex;gap:.3rem;max-width:26rem;background:#fff;padding:.4rem .5rem .2rem}
.bar-col{flex:1;min-width:0;display:flex;flex-direction:column;align-items:center}
.bar-plot{height:8rem;width:100%;display:flex;flex-direction:column;justify-content:flex-end;align-items:center;border-bottom:1px solid #5a6470}
.bar{display:block;width:75%;background:#0b5cad}
.bar-count{font-size:.8rem;line-height:1.2}
.tick{font-size:.85rem}
@media (forced-colors:active){.bar{background:CanvasText}}
${Array.from({ length: BAR_STEPS + 1 }, (_, i) => `.h-${i}{height:${((i * 84) / BAR_STEPS).toFixed(2)}%}`).join('')}
`;
