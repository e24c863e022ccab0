package app

// UpdateCheckDisabled exposes updateCheckDisabled to the tests of package app_test.
func (s *Service) UpdateCheckDisabled() bool { return s.updateCheckDisabled() }
