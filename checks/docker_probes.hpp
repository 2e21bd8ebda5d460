// The Docker probe kinds (see profiles/README.md for their parameters):
//
//   docker_installed   passes when Docker is installed (dockerd, /etc/docker or a data root):
//                      the applies_if of every Docker rule;
//   docker_daemon      one setting of the daemon's effective configuration (daemon.json, the
//                      dockerd flags, dockerd's defaults), or that there are no conflicts;
//   docker_file        the file a daemon setting names (tlscacert ...), with the file tests;
//   docker_containers  one derived field of every (running) container, one object each;
//   docker_images      one field of every image, one object each;
//   docker_swarm       the node's swarm state.
//
// All of them are notapplicable when Docker is not installed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/probe.hpp"

namespace hb {

std::unique_ptr<Probe> parse_docker_installed_probe(const Params& params);
std::unique_ptr<Probe> parse_docker_daemon_probe(const Params& params);
std::unique_ptr<Probe> parse_docker_file_probe(const Params& params);
std::unique_ptr<Probe> parse_docker_containers_probe(const Params& params);
std::unique_ptr<Probe> parse_docker_images_probe(const Params& params);
std::unique_ptr<Probe> parse_docker_swarm_probe(const Params& params);

// The container fields docker_containers can test, in documentation order.
std::vector<std::string> docker_container_fields();

}  // namespace hb
