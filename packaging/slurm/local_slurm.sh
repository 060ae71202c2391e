#!/usr/bin/env bash
# A single-node Slurm on this machine, for trying the job scripts and for the `slurm` test:
# munged, slurmctld and slurmd from Debian's packages (munge slurmctld slurmd slurm-client),
# each with its files in DIR, nothing in /etc touched, stopped again by `stop`.
#   local_slurm.sh start DIR   starts them; prints the line to export (SLURM_CONF=DIR/slurm.conf)
#   local_slurm.sh stop DIR    stops them
# Runs as root (slurmd starts jobs as their users). Not for production clusters.
set -euo pipefail
action=${1:?start or stop}
dir=$(realpath -m "${2:?a folder for the files of the cluster}")

stop() {
  for daemon in slurmd slurmctld munged; do
    # A daemon removes its own pid file as it exits.
    pid=$(cat "$dir/$daemon.pid" 2>/dev/null) || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    rm -f "$dir/$daemon.pid"
  done
}

if [ "$action" = stop ]; then stop; exit 0; fi
[ "$action" = start ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
for program in munged slurmctld slurmd sbatch; do
  command -v "$program" >/dev/null || { echo "$0: $program is missing (apt-get install munge slurmctld slurmd slurm-client)" >&2; exit 3; }
done
mkdir -p "$dir/state" "$dir/spool" "$dir/munge"
chmod 700 "$dir/munge"

# munge: a key of its own and a socket in DIR, so a system munged (if any) is left alone.
[ -f "$dir/munge/munge.key" ] || dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munged.pid" --log-file="$dir/munged.log" --seed-file="$dir/munge/munge.seed"

# Free ports near 16817, so several clusters (or a real one) can coexist.
port() { local p=$1; while (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; do p=$((p + 1)); done; echo "$p"; }
ctld_port=$(port $((16817 + RANDOM % 1000)))
slurmd_port=$(port $((ctld_port + 1)))
cpus=$(nproc)
memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))
cat > "$dir/slurm.conf" <<CONF
ClusterName=moescope-local
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$dir/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N localhost
# Ready when the node takes jobs.
for _ in $(seq 150); do
  state=$(sinfo -h -N -o %t 2>/dev/null || true)
  case "$state" in idle*|mix*|alloc*) echo "export SLURM_CONF=$SLURM_CONF"; exit 0 ;; esac
  sleep 0.2
done
echo "$0: the local Slurm did not come up (state: ${state:-none}); see $dir/*.log" >&2
stop
exit 4
