#!/usr/bin/env bash
# Test stub for docker, dockerd, kind, curl and dind (EntrypointTest copies it under each name).
# Every call is appended to $STUB_CALLS as one line "TOOL ARGS...". State (running dockerd, node containers,
# pulled images) lives in files under $STUB_STATE. $STUB_FAIL is a comma-separated list of calls that fail with the
# error text the real tool prints: dockerd, docker-info, docker-start, docker-stop, docker-pull, kind-create,
# kind-delete, kind-load, curl. $STUB_KIND_CREATE_SECONDS makes `kind create` take that long.
set -o nounset
tool=$(basename "$0")
state=${STUB_STATE:?}
calls=${STUB_CALLS:?}

record() { printf '%s\n' "$*" >>"${calls}"; }
fails() { [[ ",${STUB_FAIL:-}," == *",$1,"* ]]; }

record "${tool} $*"
case ${tool} in
  dind)
    exec "$@"
    ;;
  dockerd)
    if fails dockerd; then
      echo "failed to start daemon: Error initializing network controller: iptables failed:" \
        "iptables --wait -t nat -N DOCKER: can't initialize iptables table 'nat': Permission denied"
      exit 1
    fi
    sleeper=""
    trap 'record "dockerd terminated"; rm -f "${state}/dockerd.up"; [[ -z ${sleeper} ]] || kill "${sleeper}"; exit 0' TERM
    touch "${state}/dockerd.up"
    # Never outlive a broken test by long.
    end=$((SECONDS + 60))
    while ((SECONDS < end)); do
      sleep 0.1 &
      sleeper=$!
      wait "${sleeper}"
    done
    rm -f "${state}/dockerd.up"
    exit 0
    ;;
  docker)
    case $1 in
      info)
        record "docker-env DOCKER_HOST=${DOCKER_HOST-<unset>}"
        if ! fails docker-info && [[ -n ${STUB_EXTERNAL:-} || -e ${state}/dockerd.up ]]; then
          echo "Server Version: 28.5.1"
          exit 0
        fi
        echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?"
        exit 1
        ;;
      ps)
        cat "${state}/nodes" 2>/dev/null
        exit 0
        ;;
      start)
        if fails docker-start; then
          echo "Error response from daemon: failed to create task for container: cgroup mountpoint does not exist"
          exit 1
        fi
        exit 0
        ;;
      stop)
        if fails docker-stop; then
          echo "Error response from daemon: cannot stop container"
          exit 1
        fi
        exit 0
        ;;
      image)
        [[ $2 == inspect ]] && grep -qxF "$3" "${state}/images" 2>/dev/null
        exit
        ;;
      pull)
        if fails docker-pull; then
          echo "Error response from daemon: pull access denied for $2, repository does not exist"
          exit 1
        fi
        echo "$2" >>"${state}/images"
        exit 0
        ;;
    esac
    echo "stub docker: unexpected call: $*"
    exit 2
    ;;
  kind)
    name=kind
    args=("$@")
    for ((i = 0; i < ${#args[@]} - 1; i++)); do
      [[ ${args[i]} != --name ]] || name=${args[i + 1]}
    done
    case "$1 $2" in
      "create cluster")
        echo "Creating cluster \"${name}\" ..."
        if [[ -n ${STUB_KIND_CREATE_SECONDS:-} ]]; then
          echo "${name}-control-plane" >"${state}/nodes"
          sleep "${STUB_KIND_CREATE_SECONDS}" &
          sleeper=$!
          trap 'record "kind create terminated"; kill "${sleeper}"; exit 143' TERM
          wait "${sleeper}"
        fi
        if fails kind-create; then
          echo "ERROR: failed to create cluster: could not find a log line that matches" \
            "\"Reached target .*Multi-User System.*|detected cgroup v1\""
          exit 1
        fi
        echo "${name}-control-plane" >"${state}/nodes"
        exit 0
        ;;
      "delete cluster")
        if fails kind-delete; then
          echo "ERROR: failed to delete cluster \"${name}\""
          exit 1
        fi
        rm -f "${state}/nodes"
        exit 0
        ;;
      "load docker-image")
        if fails kind-load; then
          echo "ERROR: failed to load image: command \"docker exec --privileged -i ${name}-control-plane ctr" \
            "--namespace=k8s.io images import\" failed with error: exit status 1"
          exit 1
        fi
        exit 0
        ;;
      "export kubeconfig")
        exit 0
        ;;
    esac
    echo "stub kind: unexpected call: $*"
    exit 2
    ;;
  curl)
    if fails curl; then
      echo "curl: (7) Failed to connect to 127.0.0.1 port 16443 after 0 ms: Couldn't connect to server"
      exit 7
    fi
    echo ok
    exit 0
    ;;
esac
echo "stub: unknown tool ${tool}"
exit 2
