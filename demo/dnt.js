// Simulated Do-Not-Track: `?dnt=1` makes this load's navigator.doNotTrack "1"
// before telltale starts, as the browser setting would. (A classic script, run first.)
if (/[?&]dnt=1/.test(location.search))
  Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1', configurable: true });
