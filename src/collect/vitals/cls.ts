import type { Shift } from './entries';

/**
 * CLS: layout shifts not caused by input, in session windows (a shift less than 1 s after the
 * window's last and 5 s after its first joins it); the largest window's sum, with its shifts.
 */
export const sessionWindows = () => {
  let shifts: Shift[] = [];
  let sum = 0;
  const largest = { value: 0, entries: shifts };
  return {
    largest,
    add(e: Shift) {
      if (e.hadRecentInput) return;
      if (shifts.length && e.startTime - shifts[shifts.length - 1].startTime < 1000 && e.startTime - shifts[0].startTime < 5000) {
        shifts.push(e);
        sum += e.value;
      } else {
        shifts = [e];
        sum = e.value;
      }
      // the window grows in place: the largest one keeps its own array once a new window starts
      if (sum > largest.value) {
        largest.value = sum;
        largest.entries = shifts;
      }
    },
  };
};
