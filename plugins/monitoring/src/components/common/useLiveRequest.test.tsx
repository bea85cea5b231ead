import { act, renderHook, waitFor } from '@testing-library/react';
import { REFRESH_SECONDS, useLivePaused } from './liveRefresh';
import { useLiveRequest } from './useLiveRequest';

/** Lets the pending promise callbacks run under fake timers. */
const flush = () => act(async () => {});

describe('useLiveRequest', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
  });

  it('asks again every REFRESH_SECONDS, and not while paused', async () => {
    let calls = 0;
    const load = jest.fn(async () => ({ n: ++calls }));
    const { result, unmount } = renderHook(() => ({
      request: useLiveRequest(load, []),
      paused: useLivePaused(),
    }));
    await flush();
    expect(load).toHaveBeenCalledTimes(1);
    expect(result.current.request.value).toEqual({ n: 1 });
    expect(result.current.request.fetchedAt).toBeDefined();

    await act(async () => jest.advanceTimersByTime(REFRESH_SECONDS * 1000));
    await flush();
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current.request.value).toEqual({ n: 2 });

    act(() => result.current.paused[1](true));
    await act(async () => jest.advanceTimersByTime(3 * REFRESH_SECONDS * 1000));
    expect(load).toHaveBeenCalledTimes(2);

    act(() => result.current.paused[1](false));
    await act(async () => jest.advanceTimersByTime(REFRESH_SECONDS * 1000));
    await flush();
    expect(load).toHaveBeenCalledTimes(3);
    unmount();
  });

  it('keeps the shown object when the answer did not change, so nothing re-renders', async () => {
    const load = jest.fn(async () => ({ clusters: ['a', 'b'] }));
    const { result, unmount } = renderHook(() => useLiveRequest(load, []));
    await flush();
    const first = result.current.value;
    const firstAt = result.current.fetchedAt!;
    jest.setSystemTime(Date.now() + 1000);
    await act(async () => result.current.retry());
    expect(load).toHaveBeenCalledTimes(2);
    expect(result.current.value).toBe(first);
    // The age restarts: the answer was confirmed just now.
    expect(result.current.fetchedAt).toBeGreaterThan(firstAt);
    unmount();
  });

  it('keeps the last answer and reports the error when a refresh fails', async () => {
    let fail = false;
    const load = jest.fn(async () => {
      if (fail) throw new Error('backend down');
      return { ok: true };
    });
    const { result, unmount } = renderHook(() => useLiveRequest(load, []));
    await flush();
    fail = true;
    await act(async () => result.current.retry());
    await waitFor(() =>
      expect(result.current.error?.message).toBe('backend down'),
    );
    expect(result.current.value).toEqual({ ok: true });
    fail = false;
    await act(async () => result.current.retry());
    expect(result.current.error).toBeUndefined();
    unmount();
  });

  it('sends nothing while disabled', async () => {
    const load = jest.fn(async () => 1);
    const { result, unmount } = renderHook(() =>
      useLiveRequest(load, [], false),
    );
    await act(async () => jest.advanceTimersByTime(5 * REFRESH_SECONDS * 1000));
    expect(load).not.toHaveBeenCalled();
    expect(result.current.loading).toBe(false);
    unmount();
  });
});
