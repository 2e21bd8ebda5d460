// A Drift as JSON: the "drift" key of hostbench-results/1 (a scan compared with a baseline) and
// the document `hostbench diff --json` writes, schema "hostbench-drift/1" (README). Keys come
// out in a stable order; all text is valid UTF-8. Reading is strict: what it cannot understand
// is an error naming the place ("drift.fixed[2]: ..."), never a half-read drift.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "engine/drift.hpp"
#include "engine/expected.hpp"

namespace hb {

inline constexpr const char* k_drift_schema = "hostbench-drift/1";

// The drift object without a schema key (as embedded in results).
nlohmann::ordered_json drift_to_json(const Drift& drift);
// `where` prefixes errors: "drift" for the key of results, "" for a document of its own.
Expected<Drift> drift_from_json(const nlohmann::ordered_json& j, const std::string& where);

// The standalone document: {"schema": "hostbench-drift/1", ...the drift object...}.
void write_drift_json(const Drift& drift, std::ostream& out);
Expected<Drift> read_drift_json(const std::string& text);

}  // namespace hb
