"""The house rules of the rendered Kubernetes manifests, beyond their schema.

    python manifest_rules.py OVERLAY RENDERED.yaml

Checks what the schema cannot: every container runs as non-root on a
read-only root file system with no capabilities and no privilege
escalation, under the RuntimeDefault seccomp profile, with CPU and memory
requests and limits; every aftercare server (a Deployment) has gRPC
probes, a HorizontalPodAutoscaler (autoscaling/v2) and a
PodDisruptionBudget, and every service that keeps data a migration Job; a
deny-all NetworkPolicy and one allow-list per workload; each service's
database Secret made or provided, its database pods labelled for its
policy, and a CloudNativePG Cluster of 3 instances at least. Prints each
breach and exits 1 if there is any. Run by `scripts/deploy check`.
"""

import sys

import yaml

WORKLOAD_KINDS = {"Deployment", "StatefulSet", "Job"}
SERVICES_WITH_DATA = ["dealers", "parts", "surveys", "costs"]


def main(overlay, path):
    with open(path, encoding="utf-8") as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    breaches = []
    by_kind = {}
    for doc in docs:
        by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc

    for kind in WORKLOAD_KINDS:
        for name, doc in by_kind.get(kind, {}).items():
            breaches += [f"{kind} {name}: {b}" for b in pod_breaches(doc["spec"]["template"]["spec"])]

    deployments = by_kind.get("Deployment", {})
    for name, doc in deployments.items():
        for c in doc["spec"]["template"]["spec"]["containers"]:
            for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
                if "grpc" not in c.get(probe, {}):
                    breaches.append(f"Deployment {name}: container {c['name']} has no gRPC {probe}")
        hpa = by_kind.get("HorizontalPodAutoscaler", {}).get(name)
        if not hpa or hpa["apiVersion"] != "autoscaling/v2":
            breaches.append(f"Deployment {name}: no autoscaling/v2 HorizontalPodAutoscaler of its name")
        elif hpa["spec"]["scaleTargetRef"]["name"] != name:
            breaches.append(f"HorizontalPodAutoscaler {name} scales {hpa['spec']['scaleTargetRef']['name']}")
        if name not in by_kind.get("PodDisruptionBudget", {}):
            breaches.append(f"Deployment {name}: no PodDisruptionBudget of its name")
        if "replicas" in doc["spec"]:
            breaches.append(f"Deployment {name}: sets replicas, which its autoscaler owns")
    for service in SERVICES_WITH_DATA:
        if service not in deployments:
            breaches.append(f"no Deployment {service}")
        if f"migrate-{service}" not in by_kind.get("Job", {}):
            breaches.append(f"no migration Job migrate-{service}")

    # Each service's database: the Secret its pods read (a placeholder, or
    # the one CloudNativePG makes for the Cluster <service>-db), and some
    # pods carrying the label its network policy reaches it by.
    clusters = by_kind.get("Cluster", {})
    for service in SERVICES_WITH_DATA:
        secret = f"{service}-db-app"
        if secret not in by_kind.get("Secret", {}) and f"{service}-db" not in clusters:
            breaches.append(f"{service}: neither a Secret {secret} nor a Cluster {service}-db to make it")
        label = f"aftercare-db-{service}"
        carriers = [doc["spec"]["template"]["metadata"].get("labels", {})
                    for kind in WORKLOAD_KINDS for doc in by_kind.get(kind, {}).values()]
        carriers += [c["spec"].get("inheritedMetadata", {}).get("labels", {}) for c in clusters.values()]
        if not any(labels.get(label) == "true" for labels in carriers):
            breaches.append(f"{service}: no database pods carry the label {label}")
    for name, cluster in clusters.items():
        if cluster["spec"].get("instances", 1) < 3:
            breaches.append(f"Cluster {name}: fewer than 3 instances")

    policies = by_kind.get("NetworkPolicy", {})
    deny_all = [p for p in policies.values() if p["spec"]["podSelector"] == {}
                and not p["spec"].get("ingress") and not p["spec"].get("egress")
                and set(p["spec"].get("policyTypes", [])) == {"Ingress", "Egress"}]
    if not deny_all:
        breaches.append("no deny-all NetworkPolicy")
    for kind in WORKLOAD_KINDS:
        for name, doc in by_kind.get(kind, {}).items():
            labels = doc["spec"]["template"]["metadata"].get("labels", {})
            if not any(selects(p, labels) for p in policies.values() if p["spec"]["podSelector"] != {}):
                breaches.append(f"{kind} {name}: no NetworkPolicy allow-list selects its pods")

    for b in breaches:
        print(f"{overlay}: {b}")
    print(f"{overlay}: {len(docs)} objects, {len(breaches)} breaches of the house rules")
    return 1 if breaches else 0


def pod_breaches(pod):
    out = []
    security = pod.get("securityContext", {})
    if security.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        out.append("pod seccompProfile is not RuntimeDefault")
    if pod.get("automountServiceAccountToken") is not False:
        out.append("pod mounts a service account token")
    for c in pod.get("initContainers", []) + pod["containers"]:
        sc = c.get("securityContext", {})
        who = f"container {c['name']}"
        if not (sc.get("runAsNonRoot") or security.get("runAsNonRoot")):
            out.append(f"{who} may run as root")
        if sc.get("readOnlyRootFilesystem") is not True:
            out.append(f"{who} has a writable root file system")
        if sc.get("allowPrivilegeEscalation") is not False:
            out.append(f"{who} allows privilege escalation")
        if sc.get("capabilities", {}).get("drop") != ["ALL"]:
            out.append(f"{who} does not drop ALL capabilities")
        resources = c.get("resources", {})
        for bound in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if resource not in resources.get(bound, {}):
                    out.append(f"{who} has no {resource} {bound[:-1]}")
    return out


def selects(policy, labels):
    selector = policy["spec"]["podSelector"]
    if any(labels.get(k) != v for k, v in selector.get("matchLabels", {}).items()):
        return False
    for e in selector.get("matchExpressions", []):
        if e["operator"] == "In" and labels.get(e["key"]) not in e["values"]:
            return False
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
