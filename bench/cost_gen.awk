# bench/cost_gen.awk - N usage lines shaped as the tools write them, for
# bench/cost.sh: 60 % assessor requests through a proxy (phx-fetch, with
# host, bytes, status, proxy, source, ZIP), 30 % proxy bytes, 10 % LLM
# tokens, spread over December 2026 (UTC, so the first hours of the 1st are
# November in Phoenix). Deterministic.  awk -v n=N -f bench/cost_gen.awk
BEGIN {
	for (i = 0; i < n; i++) {
		d = i % 28 + 1; h = int(i / 1000) % 24; m = i % 60; r = i % 10
		at = sprintf("2026-12-%02dT%02d:%02d:%02dZ", d, h, m, m)
		if (r < 6)
			printf "{\"phx\":\"usage\",\"tool\":\"phx-fetch\",\"at\":\"%s\",\"service\":\"mcassessor.maricopa.gov\",\"what\":\"http_request\",\"qty\":1,\"run\":\"r%d\",\"host\":\"mcassessor.maricopa.gov\",\"bytes\":%d,\"status\":%d,\"proxy\":\"http://p%d.example:8080\",\"source\":\"maricopa\",\"zip\":\"8503%d\"}\n", at, i % 97, 3000 + i % 5000, (i % 50 == 0) ? 503 : 200, i % 10, i % 5
		else if (r < 9)
			printf "{\"phx\":\"usage\",\"tool\":\"phx-fetch\",\"at\":\"%s\",\"service\":\"webshare\",\"what\":\"proxy_bytes\",\"qty\":%d,\"run\":\"r%d\",\"proxy\":\"p%d\"}\n", at, 3000 + i % 5000, i % 97, i % 10
		else
			printf "{\"phx\":\"usage\",\"tool\":\"phx-llm\",\"at\":\"%s\",\"service\":\"llm\",\"what\":\"tokens_in\",\"qty\":%d,\"run\":\"r%d\",\"model\":\"llama3.2\"}\n", at, 500 + i % 300, i % 97
	}
}
