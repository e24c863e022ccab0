package server

import (
	"context"

	"switchboard/backend/hours"
)

// hoursService is the business hours' service over the server's store,
// with the serve setting as the default.
func (s *Server) hoursService() hours.Service {
	return hours.Service{Store: s.store, Default: s.cfg.BusinessHours}
}

// reloadHours loads the business hours in force. Hours that cannot be read
// leave those in force as they are; stored hours that no longer parse are
// skipped (logged), the others taking effect.
func (s *Server) reloadHours(ctx context.Context) error {
	b, err := s.hoursService().Load(ctx)
	if b != nil {
		s.hours.Store(b)
	}
	if err != nil && ctx.Err() == nil {
		s.log.Warn("load business hours", "err", err)
	}
	return err
}
