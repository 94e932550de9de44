# Host-side helpers of the rig: messages, timed steps, and the one way a run fails.
# Every step is timed into $RIG_LOGDIR/steps.tsv so the report can show where minutes go.

rig_say() { printf 'xen-rig: %s\n' "$*" >&2; }

# rig_die STEP LOG MESSAGE: the single failure path. Names the step and the log to read.
rig_die() {
  local step=$1 log=$2; shift 2
  RIG_FAILED_STEP=$step
  rig_say "FAILED at step '$step': $*"
  [[ -n $log ]] && rig_say "read: $log"
  [[ -n $log && -r $log ]] && { echo "---- last lines of $log ----" >&2; tail -n 15 "$log" >&2; echo "----" >&2; }
  exit 1
}

# rig_step_begin NAME / rig_step_end NAME STATUS: wall-clock timing of one step.
rig_step_begin() { RIG_STEP=$1; RIG_STEP_T0=$(date +%s.%N); rig_say "step $1 ..."; }
rig_step_end() {
  local status=${2:-ok} t1 secs
  t1=$(date +%s.%N)
  secs=$(awk -v a="$RIG_STEP_T0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  printf '%s\t%s\t%s\n' "$1" "$status" "$secs" >> "$RIG_LOGDIR/steps.tsv"
  rig_say "step $1 $status (${secs} s)"
  RIG_STEP=
}

# rig_run_step NAME LOG TIMEOUT_S CMD...: runs CMD with output to LOG under a timeout.
# In the background and waited for, so that a signal to the rig is handled at once (bash
# defers traps while a foreground child runs); the exit trap stops RIG_CHILD_PID, and
# timeout passes the signal on to its whole process group (debootstrap, apt, dpkg...).
rig_run_step() {
  local name=$1 log=$2 limit=$3; shift 3
  rig_step_begin "$name"
  local rc=0
  timeout --kill-after=20 "$limit" "$@" >> "$log" 2>&1 < /dev/null &
  RIG_CHILD_PID=$!
  wait "$RIG_CHILD_PID" || rc=$?
  RIG_CHILD_PID=
  if ((rc != 0)); then
    rig_step_end "$name" fail
    if ((rc == 124 || rc == 137)); then rig_die "$name" "$log" "timed out after ${limit} s"; fi
    rig_die "$name" "$log" "exit status $rc"
  fi
  rig_step_end "$name" ok
}

# rig_wait_for_file_text FILE REGEX TIMEOUT_S PID: waits until FILE matches REGEX, giving
# up at the deadline or when process PID (qemu) has gone. Returns 0 found, 1 timeout, 2 exited.
rig_wait_for_text() {
  local file=$1 regex=$2 limit=$3 pid=$4 deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    grep -aqE "$regex" "$file" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { grep -aqE "$regex" "$file" 2>/dev/null && return 0; return 2; }
    sleep 1
  done
  return 1
}
