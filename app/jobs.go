package app

import (
	"context"
	"sync"
)

// job is background work for the server: sync one conversation's transcript,
// refresh one conversation list, or restore the agent's status, floor
// subscription and monitors after a reconnect.
type job struct {
	kind string // "sync" | "list" | "status" | "resubscribe"
	arg  string // conversation id | filter | ""
}

func jobSync(conversationID string) job { return job{"sync", conversationID} }
func jobList(filter string) job         { return job{"list", filter} }
func jobStatus() job                    { return job{"status", ""} }
func jobResubscribe() job               { return job{"resubscribe", ""} }

// jobQueue is a FIFO of jobs in which a job already waiting is not added
// twice: ten pushes that each reveal a gap cost one sync, not ten.
type jobQueue struct {
	wake chan struct{}

	// mu guards queue and queued.
	mu     sync.Mutex
	queue  []job
	queued map[job]bool
}

func newJobQueue() *jobQueue {
	return &jobQueue{wake: make(chan struct{}, 1), queued: map[job]bool{}}
}

func (q *jobQueue) add(j job) {
	q.mu.Lock()
	if !q.queued[j] {
		q.queued[j] = true
		q.queue = append(q.queue, j)
	}
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// next waits for a job; false once ctx is done.
func (q *jobQueue) next(ctx context.Context) (job, bool) {
	for {
		q.mu.Lock()
		if len(q.queue) > 0 {
			j := q.queue[0]
			q.queue = q.queue[1:]
			delete(q.queued, j)
			q.mu.Unlock()
			return j, true
		}
		q.mu.Unlock()
		select {
		case <-ctx.Done():
			return job{}, false
		case <-q.wake:
		}
	}
}
