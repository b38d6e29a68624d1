// dist/launch/signal-watcher-state.js
var watcherState = {
  starting: 0,
  watching: 1,
  released: 2,
  unavailable: 3
};
var heardSlot = (index) => 1 + 2 * index;
var processedSlot = (index) => 2 + 2 * index;
var stateSlots = (signals) => 1 + 2 * signals;

export {
  watcherState,
  heardSlot,
  processedSlot,
  stateSlots
};
