#!/usr/bin/env bash
# kdk-entrypoint.sh: the command of the `kdk` container in pod kdk-NAME-0.
#
# Starts dockerd (unless an external Docker engine is configured), creates the kind cluster with kdk's CA on
# first boot or starts its node containers again after a restart, preloads images, marks itself ready and then
# stays in the foreground until SIGTERM, when it stops the node containers and dockerd cleanly.
#
# Shipped in ConfigMap kdk-NAME (key entrypoint.sh, mounted at /etc/kdk/config) and run as
#   /bin/bash /etc/kdk/config/entrypoint.sh
# Configured only by the environment (the in-pod contract; defaults match values/values.yaml):
#   KDK_CLUSTER                 kdk cluster NAME, for messages
#   KDK_KIND_CLUSTER_NAME       name of the kind cluster inside the pod (kdk)
#   KDK_KIND_CONFIG             rendered kind config (/etc/kdk/config/kind-config.yaml)
#   KDK_CA_DIR                  cluster CA from Secret kdk-NAME-ca: ca.crt, ca.key (/etc/kdk/pki)
#   KDK_API_SERVER_PORT         inner API server port in the pod (16443)
#   KDK_CREATE_TIMEOUT_SECONDS  bound for `kind create cluster --wait` on first boot (600)
#   KDK_DOCKER_MTU              dockerd --mtu; kind copies it onto its `kind` network (1400)
#   KDK_DOCKER_ADDRESS_POOLS    dockerd --default-address-pool values, space-separated (base=10.226.0.0/16,size=24)
#   KDK_DOCKER_BIP              dockerd --bip (10.227.0.1/24)
#   KDK_PRELOAD_IMAGES          images to pull and `kind load`, space-separated (empty)
#   KDK_NODE_IMAGE              kindest/node image, pinned by digest
#   DOCKER_HOST, RETAIN_DOCKER_HOST
#                               with both set, use that engine and start no dockerd; without RETAIN_DOCKER_HOST an
#                               inherited DOCKER_HOST is unset (as the original KDK did)
# Knobs with defaults for tests and debugging (not set by the chart):
#   KDK_STATE_DIR (/run/kdk: readiness marker `ready`, tool logs in logs/), KDK_DOCKERD_LOG (STATE_DIR/dockerd.log),
#   KDK_DOCKER_DATA_ROOT (/var/lib/docker, the data volume), KDK_DOCKER_WAIT_SECONDS (60),
#   KDK_START_TIMEOUT_SECONDS (300: API wait after create or restart), KDK_STOP_TIMEOUT_SECONDS (60: docker stop),
#   KDK_DOCKERD_STOP_TIMEOUT_SECONDS (30), KDK_POLL_INTERVAL_SECONDS (2), KDK_LOG_TAIL_LINES (25),
#   KDK_SYSCTL_DIR (/proc/sys), KDK_CGROUP_ROOT (/sys/fs/cgroup).
# The stop bounds (60 + 30 s) fit in the pod's default terminationGracePeriodSeconds (120).
#
# Every failure ends with exit status 1 and a line "step STEP failed: ...", the last lines of the tool's output
# and hints for the known errors. See docs/troubleshooting.md.
set -o errexit -o nounset -o pipefail

KDK_CLUSTER="${KDK_CLUSTER:-}"
KDK_KIND_CLUSTER_NAME="${KDK_KIND_CLUSTER_NAME:-kdk}"
KDK_KIND_CONFIG="${KDK_KIND_CONFIG:-/etc/kdk/config/kind-config.yaml}"
KDK_CA_DIR="${KDK_CA_DIR:-/etc/kdk/pki}"
KDK_API_SERVER_PORT="${KDK_API_SERVER_PORT:-16443}"
KDK_CREATE_TIMEOUT_SECONDS="${KDK_CREATE_TIMEOUT_SECONDS:-600}"
KDK_DOCKER_MTU="${KDK_DOCKER_MTU:-1400}"
KDK_DOCKER_ADDRESS_POOLS="${KDK_DOCKER_ADDRESS_POOLS-base=10.226.0.0/16,size=24}"
KDK_DOCKER_BIP="${KDK_DOCKER_BIP-10.227.0.1/24}"
KDK_PRELOAD_IMAGES="${KDK_PRELOAD_IMAGES:-}"
KDK_NODE_IMAGE="${KDK_NODE_IMAGE:-}"
KDK_STATE_DIR="${KDK_STATE_DIR:-/run/kdk}"
KDK_DOCKERD_LOG="${KDK_DOCKERD_LOG:-${KDK_STATE_DIR}/dockerd.log}"
KDK_DOCKER_DATA_ROOT="${KDK_DOCKER_DATA_ROOT:-/var/lib/docker}"
KDK_DOCKER_WAIT_SECONDS="${KDK_DOCKER_WAIT_SECONDS:-60}"
KDK_START_TIMEOUT_SECONDS="${KDK_START_TIMEOUT_SECONDS:-300}"
KDK_STOP_TIMEOUT_SECONDS="${KDK_STOP_TIMEOUT_SECONDS:-60}"
KDK_DOCKERD_STOP_TIMEOUT_SECONDS="${KDK_DOCKERD_STOP_TIMEOUT_SECONDS:-30}"
KDK_POLL_INTERVAL_SECONDS="${KDK_POLL_INTERVAL_SECONDS:-2}"
KDK_LOG_TAIL_LINES="${KDK_LOG_TAIL_LINES:-25}"
KDK_SYSCTL_DIR="${KDK_SYSCTL_DIR:-/proc/sys}"
KDK_CGROUP_ROOT="${KDK_CGROUP_ROOT:-/sys/fs/cgroup}"

# kind labels every node container of a cluster with this key; its value is the kind cluster's name.
readonly KIND_CLUSTER_LABEL="io.x-k8s.kind.cluster"
# The only address dockerd listens on: its unix socket. No TCP listener, so nothing on the pod IP can drive it.
readonly DOCKERD_SOCKET="unix:///var/run/docker.sock"

LOG_DIR="${KDK_STATE_DIR}/logs"
READY_MARKER="${KDK_STATE_DIR}/ready"
# Written on the data volume once `kind create cluster` succeeded. Nodes without it are a create that was cut short.
CREATED_MARKER="${KDK_DOCKER_DATA_ROOT}/.kdk/${KDK_KIND_CLUSTER_NAME}.created"

STEP="init"
EXTERNAL_DOCKER=0
DOCKERD_PID=""
TOOL_PID=""
SHUTTING_DOWN=0

log() {
  local level=$1
  shift
  printf '%(%Y-%m-%dT%H:%M:%S%z)T %-5s kdk-entrypoint[%s]: %s\n' -1 "${level}" "${STEP}" "$*" >&2
}
log_info() { log INFO "$@"; }
log_warn() { log WARN "$@"; }
log_error() { log ERROR "$@"; }

# print_tail FILE: the last KDK_LOG_TAIL_LINES lines of FILE, indented, to stderr.
print_tail() {
  local file=$1 line
  [[ -s ${file} ]] || return 0
  log_error "last lines of ${file}:"
  while IFS= read -r line; do
    printf '    %s\n' "${line}" >&2
  done < <(tail -n "${KDK_LOG_TAIL_LINES}" "${file}")
}

# print_hints FILE: what to check for the known errors found in FILE.
print_hints() {
  local file=$1
  [[ -s ${file} ]] || return 0
  if grep -qi 'could not find a log line' "${file}"; then
    log_error "hint: the kind node container did not finish booting (systemd). Check that the pod is privileged, the" \
      "host node uses cgroup v2 (stat -fc %T /sys/fs/cgroup prints cgroup2fs) and has the inotify sysctls" \
      "fs.inotify.max_user_watches=524288 and fs.inotify.max_user_instances=512; see docs/troubleshooting.md"
  fi
  if grep -qi 'cgroup' "${file}"; then
    log_error "hint: cgroup error. The pod must be privileged (Pod Security level privileged for the namespace) and" \
      "the host node should use cgroup v2 (stat -fc %T /sys/fs/cgroup prints cgroup2fs)"
  fi
  if grep -qi 'iptables' "${file}"; then
    log_error "hint: iptables error. The pod must be privileged, /lib/modules must be mounted from the host, and the" \
      "host kernel needs the netfilter modules (ip_tables, iptable_nat, nf_nat, br_netfilter): lsmod on the node"
  fi
  if grep -qiE 'inotify|too many open files' "${file}"; then
    log_error "hint: inotify limits. On the host node set fs.inotify.max_user_watches=524288 and" \
      "fs.inotify.max_user_instances=512 (sysctl -w, and persist them in /etc/sysctl.d)"
  fi
  if grep -qiE 'no space left on device' "${file}"; then
    log_error "hint: the data volume ${KDK_DOCKER_DATA_ROOT} is full: df -h ${KDK_DOCKER_DATA_ROOT}; raise" \
      "persistence.size or prune images (docker system prune)"
  fi
  if grep -qiE 'address already in use|port is already allocated' "${file}"; then
    log_error "hint: port ${KDK_API_SERVER_PORT} is taken in the pod's network namespace (another engine or an" \
      "old node container): docker ps -a"
  fi
  if grep -qiE 'pool overlaps|overlapping' "${file}"; then
    log_error "hint: address pool overlap. docker.addressPools / docker.bip must not overlap each other, the pod" \
      "network or kind's pod and service subnets"
  fi
}

# fail [--log FILE]... MESSAGE...: report the failed step, the last lines of each FILE and hints for the known
# errors in them; stop what runs; exit 1.
fail() {
  local -a files=()
  local file
  while [[ ${1:-} == --log ]]; do
    files+=("$2")
    shift 2
  done
  log_error "step ${STEP} failed: $*"
  for file in "${files[@]}"; do
    print_tail "${file}"
    print_hints "${file}"
  done
  if [[ ${SHUTTING_DOWN} -eq 0 ]]; then
    SHUTTING_DOWN=1
    trap '' TERM INT
    stop_tool
    stop_cluster || true
    stop_dockerd
  fi
  exit 1
}

# run_tool NAME COMMAND...: run COMMAND with its output in LOG_DIR/NAME.log and return its exit status. It runs in
# the background and is waited for, so a SIGTERM meanwhile is handled at once (the handler stops it).
run_tool() {
  local log_file="${LOG_DIR}/$1.log" status=0
  shift
  "$@" >"${log_file}" 2>&1 &
  TOOL_PID=$!
  wait "${TOOL_PID}" || status=$?
  TOOL_PID=""
  return "${status}"
}

# pause SECONDS: sleep that a signal interrupts.
pause() {
  sleep "$1" &
  TOOL_PID=$!
  wait "${TOOL_PID}" || true
  TOOL_PID=""
}

stop_tool() {
  if [[ -n ${TOOL_PID} ]] && kill -0 "${TOOL_PID}" 2>/dev/null; then
    kill -TERM "${TOOL_PID}" 2>/dev/null || true
    wait "${TOOL_PID}" 2>/dev/null || true
  fi
  TOOL_PID=""
}

dockerd_running() {
  [[ -n ${DOCKERD_PID} ]] && kill -0 "${DOCKERD_PID}" 2>/dev/null
}

# node_containers [ps flags...]: names of this kind cluster's node containers, one per line.
node_containers() {
  docker ps "$@" --filter "label=${KIND_CLUSTER_LABEL}=${KDK_KIND_CLUSTER_NAME}" --format '{{.Names}}'
}

require_integer() {
  local name=$1
  [[ ${!name} =~ ^[0-9]+$ ]] || fail "${name} must be a whole number of seconds or lines, got '${!name}'"
}

check_inputs() {
  STEP="check_inputs"
  local name
  for name in KDK_API_SERVER_PORT KDK_CREATE_TIMEOUT_SECONDS KDK_DOCKER_WAIT_SECONDS KDK_START_TIMEOUT_SECONDS \
    KDK_STOP_TIMEOUT_SECONDS KDK_DOCKERD_STOP_TIMEOUT_SECONDS KDK_LOG_TAIL_LINES; do
    require_integer "${name}"
  done
  [[ -s ${KDK_KIND_CONFIG} ]] ||
    fail "kind config ${KDK_KIND_CONFIG} is missing or empty: ConfigMap kdk-${KDK_CLUSTER} (key kind-config.yaml)" \
      "must be mounted at $(dirname "${KDK_KIND_CONFIG}")"
  for name in ca.crt ca.key; do
    [[ -s ${KDK_CA_DIR}/${name} ]] ||
      fail "CA file ${KDK_CA_DIR}/${name} is missing or empty: Secret kdk-${KDK_CLUSTER}-ca must be mounted at" \
        "${KDK_CA_DIR} with items tls.crt->ca.crt and tls.key->ca.key (run kdk install again to create it)"
    # Without the mount kind would make its own CA and kdk's kubeconfig would not be trusted by the cluster.
    grep -qF "${KDK_CA_DIR}/${name}" "${KDK_KIND_CONFIG}" ||
      fail "kind config ${KDK_KIND_CONFIG} does not mount ${KDK_CA_DIR}/${name} (extraMounts of the control-plane" \
        "node): render it with kdk again"
  done
  mkdir -p "${LOG_DIR}"
  rm -f "${READY_MARKER}"
  log_info "kdk cluster '${KDK_CLUSTER}': kind cluster '${KDK_KIND_CLUSTER_NAME}', config ${KDK_KIND_CONFIG}," \
    "CA ${KDK_CA_DIR}, API port ${KDK_API_SERVER_PORT}"
}

# Warnings only: the host node's settings that make kind fail later in confusing ways.
check_host() {
  STEP="check_host"
  local value
  if [[ -d ${KDK_CGROUP_ROOT} && ! -e ${KDK_CGROUP_ROOT}/cgroup.controllers ]]; then
    log_warn "${KDK_CGROUP_ROOT} is not cgroup v2: kind nodes are only tested on cgroup v2 hosts"
  fi
  value=$(cat "${KDK_SYSCTL_DIR}/fs/inotify/max_user_watches" 2>/dev/null || echo "")
  if [[ ${value} =~ ^[0-9]+$ ]] && ((value < 524288)); then
    log_warn "fs.inotify.max_user_watches is ${value} on this node; kind needs 524288 (set it on the host node)"
  fi
  value=$(cat "${KDK_SYSCTL_DIR}/fs/inotify/max_user_instances" 2>/dev/null || echo "")
  if [[ ${value} =~ ^[0-9]+$ ]] && ((value < 512)); then
    log_warn "fs.inotify.max_user_instances is ${value} on this node; kind needs 512 (set it on the host node)"
  fi
}

# DOCKER_HOST with RETAIN_DOCKER_HOST: use that engine. Otherwise drop any inherited DOCKER_HOST (the original KDK's
# rule), so docker and kind talk to the dockerd this script starts.
configure_docker_host() {
  STEP="configure_docker_host"
  if [[ -n ${RETAIN_DOCKER_HOST:-} && -n ${DOCKER_HOST:-} ]]; then
    EXTERNAL_DOCKER=1
    log_info "using the Docker engine at DOCKER_HOST=${DOCKER_HOST} (RETAIN_DOCKER_HOST is set): no dockerd in this pod"
    return 0
  fi
  if [[ -n ${DOCKER_HOST:-} ]]; then
    log_info "unsetting inherited DOCKER_HOST=${DOCKER_HOST} (set RETAIN_DOCKER_HOST to keep it)"
  elif [[ -n ${RETAIN_DOCKER_HOST:-} ]]; then
    log_warn "RETAIN_DOCKER_HOST is set but DOCKER_HOST is empty: starting dockerd in this pod"
  fi
  unset DOCKER_HOST
}

start_dockerd() {
  STEP="start_dockerd"
  [[ ${EXTERNAL_DOCKER} -eq 0 ]] || return 0
  local -a cmd pools
  local pool
  cmd=(dockerd "--host=${DOCKERD_SOCKET}" "--data-root=${KDK_DOCKER_DATA_ROOT}")
  # The nested bridges must not exceed the pod network's MTU; kind copies the default bridge's MTU to its network.
  [[ -z ${KDK_DOCKER_MTU} ]] || cmd+=("--mtu=${KDK_DOCKER_MTU}")
  [[ -z ${KDK_DOCKER_BIP} ]] || cmd+=("--bip=${KDK_DOCKER_BIP}")
  read -r -a pools <<<"${KDK_DOCKER_ADDRESS_POOLS}"
  for pool in "${pools[@]}"; do
    cmd+=("--default-address-pool=${pool}")
  done
  # docker:dind's `dind` wrapper prepares the container for a nested dockerd (cgroup v2 nesting, securityfs, /tmp).
  if command -v dind >/dev/null 2>&1; then
    cmd=(dind "${cmd[@]}")
  fi
  if [[ $(stat -f -c %T "${KDK_DOCKER_DATA_ROOT}" 2>/dev/null || true) == overlay* ]]; then
    log_warn "${KDK_DOCKER_DATA_ROOT} is on overlayfs: dockerd needs a volume there (persistence or emptyDir)"
  fi
  mkdir -p "$(dirname "${KDK_DOCKERD_LOG}")"
  log_info "starting ${cmd[*]} (log: ${KDK_DOCKERD_LOG})"
  "${cmd[@]}" >>"${KDK_DOCKERD_LOG}" 2>&1 &
  DOCKERD_PID=$!
}

wait_for_docker() {
  STEP="wait_for_docker"
  local deadline=$((SECONDS + KDK_DOCKER_WAIT_SECONDS))
  until docker info >"${LOG_DIR}/docker-info.log" 2>&1; do
    if [[ ${EXTERNAL_DOCKER} -eq 0 ]] && ! dockerd_running; then
      local status=0
      wait "${DOCKERD_PID}" || status=$?
      DOCKERD_PID=""
      fail --log "${KDK_DOCKERD_LOG}" "dockerd exited with status ${status} before answering"
    fi
    if ((SECONDS >= deadline)); then
      if [[ ${EXTERNAL_DOCKER} -eq 1 ]]; then
        fail --log "${LOG_DIR}/docker-info.log" "the Docker engine at DOCKER_HOST=${DOCKER_HOST} did not" \
          "answer \`docker info\` within ${KDK_DOCKER_WAIT_SECONDS}s"
      fi
      fail --log "${LOG_DIR}/docker-info.log" --log "${KDK_DOCKERD_LOG}" \
        "dockerd did not answer \`docker info\` within ${KDK_DOCKER_WAIT_SECONDS}s"
    fi
    pause "${KDK_POLL_INTERVAL_SECONDS}"
  done
  log_info "Docker engine is up"
}

# create_cluster or start_cluster: a cluster whose first create finished is started; anything else is (re)created.
ensure_cluster() {
  STEP="ensure_cluster"
  local nodes
  if ! nodes=$(node_containers --all 2>"${LOG_DIR}/docker-ps.log"); then
    fail --log "${LOG_DIR}/docker-ps.log" "cannot list the node containers of kind cluster ${KDK_KIND_CLUSTER_NAME}"
  fi
  if [[ -n ${nodes} && -e ${CREATED_MARKER} ]]; then
    start_cluster "${nodes}"
  else
    if [[ -n ${nodes} ]]; then
      delete_partial_cluster
    fi
    create_cluster
  fi
}

delete_partial_cluster() {
  STEP="delete_partial_cluster"
  log_warn "node containers of kind cluster ${KDK_KIND_CLUSTER_NAME} exist but its first create never finished:" \
    "deleting them"
  run_tool kind-delete kind delete cluster --name "${KDK_KIND_CLUSTER_NAME}" ||
    fail --log "${LOG_DIR}/kind-delete.log" "kind delete cluster --name ${KDK_KIND_CLUSTER_NAME} failed"
}

create_cluster() {
  STEP="create_cluster"
  local -a cmd=(kind create cluster --name "${KDK_KIND_CLUSTER_NAME}" --config "${KDK_KIND_CONFIG}")
  if [[ -n ${KDK_NODE_IMAGE} ]]; then
    cmd+=(--image "${KDK_NODE_IMAGE}")
  else
    log_warn "KDK_NODE_IMAGE is empty: kind uses its built-in node image"
  fi
  cmd+=(--wait "${KDK_CREATE_TIMEOUT_SECONDS}s")
  log_info "creating the kind cluster (up to ${KDK_CREATE_TIMEOUT_SECONDS}s): ${cmd[*]}"
  run_tool kind-create "${cmd[@]}" || fail --log "${LOG_DIR}/kind-create.log" "kind create cluster failed"
  mkdir -p "$(dirname "${CREATED_MARKER}")"
  printf '%(%Y-%m-%dT%H:%M:%S%z)T\n' -1 >"${CREATED_MARKER}"
  log_info "kind cluster ${KDK_KIND_CLUSTER_NAME} created"
}

# start_cluster NODES: start the stopped node containers of a cluster kept on the data volume.
start_cluster() {
  STEP="start_cluster"
  local -a nodes
  mapfile -t nodes <<<"$1"
  log_info "kind cluster ${KDK_KIND_CLUSTER_NAME} exists: starting its node containers ${nodes[*]}"
  run_tool docker-start docker start "${nodes[@]}" ||
    fail --log "${LOG_DIR}/docker-start.log" "docker start ${nodes[*]} failed (see also: docker logs ${nodes[0]})"
  # The kubeconfig for `kubectl` in this container lives on the container's filesystem, lost with the restart.
  run_tool kind-export-kubeconfig kind export kubeconfig --name "${KDK_KIND_CLUSTER_NAME}" ||
    log_warn "kind export kubeconfig failed: kubectl inside this container will not reach the cluster"
}

# The same check as the pod's readiness probe, so a pod that this script calls ready is ready for the kubelet too.
wait_for_api() {
  STEP="wait_for_api"
  local url="https://127.0.0.1:${KDK_API_SERVER_PORT}/readyz"
  local deadline=$((SECONDS + KDK_START_TIMEOUT_SECONDS))
  until curl --fail --silent --show-error --max-time 3 --cacert "${KDK_CA_DIR}/ca.crt" "${url}" \
    >"${LOG_DIR}/readyz.log" 2>&1; do
    if ((SECONDS >= deadline)); then
      fail --log "${LOG_DIR}/readyz.log" "the API server did not answer ${url} within" \
        "${KDK_START_TIMEOUT_SECONDS}s. Check the kind config's networking (apiServerAddress 0.0.0.0, apiServerPort" \
        "${KDK_API_SERVER_PORT}) and the control plane: docker logs ${KDK_KIND_CLUSTER_NAME}-control-plane"
    fi
    pause "${KDK_POLL_INTERVAL_SECONDS}"
  done
  log_info "API server answers ${url}"
}

# Pull (when not present yet) and `kind load` the images of values' preloadImages.
preload_images() {
  STEP="preload_images"
  local -a images
  local image
  read -r -a images <<<"${KDK_PRELOAD_IMAGES}"
  for image in "${images[@]}"; do
    if ! docker image inspect "${image}" >/dev/null 2>&1; then
      log_info "pulling ${image}"
      run_tool docker-pull docker pull "${image}" || fail --log "${LOG_DIR}/docker-pull.log" "docker pull ${image} failed"
    fi
    log_info "loading ${image} into kind cluster ${KDK_KIND_CLUSTER_NAME}"
    run_tool kind-load kind load docker-image --name "${KDK_KIND_CLUSTER_NAME}" "${image}" ||
      fail --log "${LOG_DIR}/kind-load.log" "kind load docker-image ${image} failed"
  done
}

mark_ready() {
  STEP="mark_ready"
  printf '%(%Y-%m-%dT%H:%M:%S%z)T\n' -1 >"${READY_MARKER}"
  log_info "kdk cluster '${KDK_CLUSTER}' is ready"
}

# Stop the node containers (all at once, each within KDK_STOP_TIMEOUT_SECONDS) so that a restart finds etcd consistent.
stop_cluster() {
  [[ ${EXTERNAL_DOCKER} -eq 1 ]] || dockerd_running || return 0
  local -a nodes
  mapfile -t nodes < <(node_containers 2>/dev/null || true)
  [[ -n ${nodes[0]:-} ]] || return 0
  log_info "stopping node containers ${nodes[*]}"
  if ! docker stop --time "${KDK_STOP_TIMEOUT_SECONDS}" "${nodes[@]}" >"${LOG_DIR}/docker-stop.log" 2>&1; then
    log_error "docker stop ${nodes[*]} failed"
    print_tail "${LOG_DIR}/docker-stop.log"
    return 1
  fi
}

stop_dockerd() {
  dockerd_running || return 0
  log_info "stopping dockerd (pid ${DOCKERD_PID})"
  kill -TERM "${DOCKERD_PID}" 2>/dev/null || true
  local deadline=$((SECONDS + KDK_DOCKERD_STOP_TIMEOUT_SECONDS))
  while dockerd_running && ((SECONDS < deadline)); do
    sleep "${KDK_POLL_INTERVAL_SECONDS}"
  done
  if dockerd_running; then
    log_warn "dockerd did not stop within ${KDK_DOCKERD_STOP_TIMEOUT_SECONDS}s: killing it"
    kill -KILL "${DOCKERD_PID}" 2>/dev/null || true
  fi
  wait "${DOCKERD_PID}" 2>/dev/null || true
  DOCKERD_PID=""
}

# on_signal SIGNAL: the SIGTERM/SIGINT handler. Node containers first, then dockerd, then exit.
# shellcheck disable=SC2317 # reached through the traps
on_signal() {
  trap '' TERM INT
  SHUTTING_DOWN=1
  STEP="shutdown"
  log_info "received SIG$1: stopping the kind cluster and dockerd"
  rm -f "${READY_MARKER}"
  stop_tool
  local status=0
  stop_cluster || status=1
  stop_dockerd
  log_info "stopped"
  exit "${status}"
}

install_traps() {
  trap 'on_signal TERM' TERM
  trap 'on_signal INT' INT
}

# Stay in the foreground while dockerd runs (or forever with an external engine); the traps end it.
supervise() {
  STEP="supervise"
  if [[ ${EXTERNAL_DOCKER} -eq 1 ]]; then
    while true; do
      pause 3600
    done
  fi
  local status=0
  wait "${DOCKERD_PID}" || status=$?
  DOCKERD_PID=""
  rm -f "${READY_MARKER}"
  fail --log "${KDK_DOCKERD_LOG}" "dockerd exited with status ${status} while the cluster was running"
}

install_traps
check_inputs
check_host
configure_docker_host
start_dockerd
wait_for_docker
ensure_cluster
wait_for_api
preload_images
mark_ready
supervise
