package main

import (
	"strings"
	"testing"
)

func TestCollectorIdentityFromTheEnvironment(t *testing.T) {
	full := map[string]string{
		"REGLO_COLLECTOR_NAME": "Recouvre Sud", "REGLO_COLLECTOR_LEGAL_FORM": "SAS", "REGLO_COLLECTOR_ADDRESS": `3 allée des Pins\n31000 Toulouse`,
		"REGLO_COLLECTOR_SIREN": "552 100 554", "REGLO_COLLECTOR_REGISTRATION": "RCS Toulouse 552 100 554",
		"REGLO_COLLECTOR_INSURANCE": "MAAF Pro 123", "REGLO_COLLECTOR_FUNDS_ACCOUNT": "FR76 1234", "REGLO_COLLECTOR_EMAIL": "c@example.org",
	}
	cfg, err := loadConfig(func(k string) string { return full[k] })
	if err != nil {
		t.Fatal(err)
	}
	if !cfg.Collector.Agency() || cfg.Collector.Address != "3 allée des Pins\n31000 Toulouse" || cfg.Collector.SIREN != "552 100 554" {
		t.Errorf("collector %+v", cfg.Collector)
	}
	delete(full, "REGLO_COLLECTOR_INSURANCE")
	if _, err := loadConfig(func(k string) string { return full[k] }); err == nil || !strings.Contains(err.Error(), "REGLO_COLLECTOR_INSURANCE") {
		t.Errorf("an agency without insurance: %v", err)
	}
	cfg, err = loadConfig(func(string) string { return "" })
	if err != nil || cfg.Collector.Agency() {
		t.Errorf("no collector configured: %v %+v", err, cfg.Collector)
	}
}
