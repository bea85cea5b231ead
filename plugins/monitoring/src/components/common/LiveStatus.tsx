import { useEffect, useState } from 'react';
import { Alert, Button, Flex, Text } from '@backstage/ui';
import { formatDuration } from './format';
import { REFRESH_SECONDS, useLivePaused } from './liveRefresh';

/** The current time, again every `everyMs`: only the component showing an age re-renders. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "Updated 12 s ago · Pause": the age of what is shown and the switch for live updates. */
export function LiveStatus(props: { fetchedAt?: number; what: string }) {
  const [paused, setPaused] = useLivePaused();
  const now = useNow(5000);
  const age =
    props.fetchedAt !== undefined
      ? `Updated ${formatDuration(Math.max(0, now - props.fetchedAt) / 1000)} ago`
      : 'Not loaded yet';
  return (
    <Flex align="center" gap="1">
      <Text
        as="span"
        variant="body-x-small"
        color="secondary"
        title={
          paused
            ? 'Live updates are paused'
            : `Updates every ${REFRESH_SECONDS} s`
        }
      >
        {age}
        {paused ? ' · paused' : ''}
      </Text>
      <Button
        size="small"
        variant="tertiary"
        onPress={() => setPaused(!paused)}
        aria-pressed={paused}
        aria-label={`${paused ? 'Resume' : 'Pause'} live updates of ${props.what}`}
      >
        {paused ? 'Resume' : 'Pause'}
      </Button>
    </Flex>
  );
}

/** Shown above an answer that a refresh failed to replace. */
export function RefreshFailedBanner(props: { fetchedAt?: number }) {
  const now = useNow(5000);
  const age =
    props.fetchedAt !== undefined
      ? formatDuration((now - props.fetchedAt) / 1000)
      : 'an unknown time';
  return (
    <Alert
      status="warning"
      icon
      title={`Showing the answer from ${age} ago`}
      description="The last refresh failed; it is tried again on the next update."
    />
  );
}
