package sqlite

import (
	"context"
	"sync"
	"sync/atomic"
)

// The outbox (webhooks.go) feeds the webhook endpoints, so a message
// stored while there is no endpoint needs no entry: nothing would ever be
// delivered from it, and the fan-out would only delete it again. Writing
// none saves a busy store a row, its pages and its deletion per message
// when no webhooks are set up, as on most installations.
//
// outboxGate says whether appends write outbox entries: on while at least
// one endpoint exists. It errs only towards on: an entry no endpoint takes
// is dropped by the next fan-out, as before.
type outboxGate struct {
	// mu serializes the endpoint writes with their change of on, so that a
	// deletion that found no endpoint left cannot turn the gate off after
	// a later creation turned it on.
	mu sync.Mutex
	on atomic.Bool
	// gen is the conversation cache generation (convcache.go) at which the
	// writer last read whether an endpoint exists; the writer alone uses
	// it. Another connection's commit moves the generation, and the next
	// batch reads the table again, so endpoints written by another process
	// are seen too.
	gen uint64
}

const anyEndpointSQL = `SELECT EXISTS (SELECT 1 FROM webhook_endpoints)`

// sync reads, in the writer's transaction at generation gen, whether an
// endpoint exists, unless it has at this generation already.
func (g *outboxGate) sync(ctx context.Context, tx execQueryer, gen uint64) error {
	if gen == g.gen {
		return nil
	}
	var exists bool
	if err := tx.QueryRowContext(ctx, anyEndpointSQL).Scan(&exists); err != nil {
		return err
	}
	g.on.Store(exists)
	g.gen = gen
	return nil
}

// stale makes the writer read the table again at its next batch.
const staleGen = ^uint64(0)
