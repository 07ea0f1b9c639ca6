"""An organisation profile: its estate as typed data, checked by kind and by reference.

Loaded with the project's safe loader (macros/engine/safeyaml.py) into the pydantic model below; every
problem is located as ``PATH:LINE: NODE: MESSAGE``. The JSON Schema for editors is generated from
the model (``python -m macros schema --profile``, committed as examples/profile.schema.json).
``choices()`` turns a profile into the candidates a procedure page offers for its placeholders.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError

from ..engine import safeyaml
from ..engine.problems import Problem, ProblemsFound

MAX_BYTES = 1024 * 1024

IPV4_PATTERN = r"^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$"
FQDN_PATTERN = r"^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
HOST_PATTERN = r"^[A-Za-z0-9]([A-Za-z0-9-]{0,13}[A-Za-z0-9])?$"
PATH_PATTERN = r"^([A-Za-z]:\\|\\\\[A-Za-z0-9._-]+\\)[A-Za-z0-9 ._\\-]*$"
OBJECT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,63}$"
EXCHANGE_PATTERN = r"^(2003( SP[12])?|2007( SP[1-3])?|2010( SP[1-3])?)$"

# What each pattern means, for the messages (the same kinds as procedure.js checks in the browser).
KIND_TEXT = {
    IPV4_PATTERN: "an IPv4 address (four numbers from 0 to 255 joined by dots, e.g. 192.0.2.10)",
    FQDN_PATTERN: "a fully qualified name (labels joined by dots, e.g. mail.contoso.example)",
    HOST_PATTERN: "a host name (letters, digits and hyphens, at most 15 characters, no dots, e.g. EXCMS01)",
    PATH_PATTERN: "a Windows path (a drive such as D:\\ or a share \\\\server\\, then letters, digits, spaces, . _ - \\)",
    OBJECT_PATTERN: "an Exchange object name (letters, digits, spaces, . _ @ -)",
    EXCHANGE_PATTERN: "an Exchange version with its service pack: 2003, 2003 SP1, 2003 SP2, 2007, 2007 SP1 to SP3, 2010, 2010 SP1 to SP3",
}


def _year_text(value: Any) -> Any:
    """An unquoted year (2010) is the same version as "2010"."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
IPv4 = Annotated[str, StringConstraints(pattern=IPV4_PATTERN)]
Fqdn = Annotated[str, StringConstraints(pattern=FQDN_PATTERN, max_length=253)]
Host = Annotated[str, StringConstraints(pattern=HOST_PATTERN)]
WinPath = Annotated[str, StringConstraints(pattern=PATH_PATTERN)]
ObjectName = Annotated[str, StringConstraints(pattern=OBJECT_PATTERN)]
ExchangeVersion = Annotated[str, BeforeValidator(_year_text), StringConstraints(pattern=EXCHANGE_PATTERN)]
WindowsVersion = Literal["2003", "2003 R2", "2008", "2008 R2", "2012"]
Role = Literal["mailbox", "hub", "cas", "edge", "um", "front-end", "back-end"]
Service = Literal["owa", "autodiscover", "cas-array", "pop", "imap", "activesync", "outlook-anywhere", "smtp", "other"]


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Site(_Node):
    """An Active Directory site."""

    name: ObjectName = Field(description="The AD site name, e.g. London.")
    description: Text | None = Field(None, description="Where it is, in a few words.")


class Database(_Node):
    """A mailbox or public folder database and its file."""

    name: ObjectName = Field(description="Database name, e.g. DB1.")
    edb_path: WinPath | None = Field(None, description=r"Full path of the .edb file, e.g. E:\SG1\DB1.edb.")


class StorageGroup(_Node):
    """An Exchange 2003/2007 storage group, its paths and databases."""

    name: ObjectName = Field(description="Storage group name, e.g. SG1.")
    log_path: WinPath | None = Field(None, description=r"Transaction log folder, e.g. L:\SG1.")
    system_path: WinPath | None = Field(None, description="System (checkpoint) folder.")
    log_prefix: Annotated[str, StringConstraints(pattern=r"^E[0-9A-Fa-f]{2}$")] | None = Field(None, description="Log prefix, e.g. E00.")
    databases: list[Database] = Field(default_factory=list)


class Server(_Node):
    """An Exchange server (a physical or virtual machine, or a cluster node)."""

    name: Host = Field(description="NetBIOS name, e.g. EX07-MB1.")
    fqdn: Fqdn = Field(description="Fully qualified name.")
    roles: list[Role] = Field(min_length=1, description="Exchange roles: mailbox, hub, cas, edge, um (2003: front-end, back-end).")
    version: ExchangeVersion = Field(description='Exchange version and service pack, e.g. "2007 SP3".')
    windows: WindowsVersion = Field(description='Windows Server version, e.g. "2008 R2".')
    site: ObjectName = Field(description="AD site, one of sites.")
    ips: list[IPv4] = Field(default_factory=list, description="IPv4 addresses.")
    storage_groups: list[StorageGroup] = Field(default_factory=list, description="Storage groups of a stand-alone mailbox server.")


class ClusteredServer(_Node):
    """A clustered mailbox server (2007 CMS) or Exchange virtual server (2003 EVS)."""

    name: Host = Field(description="Its network name, e.g. EXCMS01.")
    ips: list[IPv4] = Field(min_length=1, description="Its IPv4 addresses, the first one is offered for <IP>.")
    data_path: WinPath | None = Field(None, description="SCC: the data folder on the shared disk.")
    storage_groups: list[StorageGroup] = Field(default_factory=list)


class Cluster(_Node):
    """A Windows failover cluster running Exchange."""

    name: Host = Field(description="The Windows cluster name.")
    type: Literal["ccr", "scc", "e2003"] = Field(description="ccr, scc (2007) or e2003 (Exchange 2003 cluster).")
    nodes: list[Host] = Field(min_length=1, description="Node names, each one of servers.")
    ips: list[IPv4] = Field(default_factory=list, description="The cluster's own IPv4 addresses.")
    clustered_servers: list[ClusteredServer] = Field(min_length=1, description="The CMSs or EVSs it runs.")
    standby: list[Host] = Field(default_factory=list, description="SCR targets (servers), if any.")


class Witness(_Node):
    """A DAG's file share witness."""

    server: Host = Field(description="The witness server, one of servers.")
    directory: WinPath = Field(description="The witness directory on it.")


class Copy(_Node):
    """A database copy on a DAG member; a lagged copy has a replay lag."""

    server: Host = Field(description="The member holding the copy.")
    replay_lag: Annotated[str, StringConstraints(pattern=r"^([0-9]{1,2}\.)?[0-9]{2}:[0-9]{2}:[0-9]{2}$")] | None = Field(
        None, description="Replay lag as d.hh:mm:ss, for a lagged copy."
    )


class DagDatabase(Database):
    """A database replicated in a DAG."""

    log_folder: WinPath | None = Field(None, description="Transaction log folder.")
    copies: list[Copy] = Field(default_factory=list, description="Its copies, the active one first.")


class Dag(_Node):
    """An Exchange 2010 database availability group."""

    name: ObjectName = Field(description="The DAG name.")
    members: list[Host] = Field(min_length=1, description="Member servers, each one of servers.")
    ips: list[IPv4] = Field(default_factory=list, description="The DAG's IPv4 addresses.")
    witness: Witness
    alternate_witness: Witness | None = None
    dac_mode: bool = Field(False, description="true: Datacenter Activation Coordination mode is on.")
    databases: list[DagDatabase] = Field(default_factory=list)


class ClientName(_Node):
    """A name clients connect to, and its DNS TTL."""

    service: Service
    fqdn: Fqdn
    ttl: int = Field(ge=0, le=604800, description="DNS TTL in seconds.")
    points_to: list[Host | IPv4] = Field(default_factory=list, description="Servers or addresses it resolves to.")


class Backups(_Node):
    """The backup product and where the backups are kept."""

    product: Text
    location: Text = Field(description="Where backups are kept (on site, off site, vault).")
    retention: Text | None = None


class Contact(_Node):
    """A person to call, in escalation order."""

    role: Text
    name: Text
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{3,30}$")]
    email: Annotated[str, StringConstraints(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    hours: Text | None = None


class Vendor(_Node):
    """A vendor support contract."""

    vendor: Text
    contract: Text = Field(description="Contract or agreement number.")
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9][0-9 ()-]{3,30}$")]
    hours: Text | None = None
    notes: Text | None = None


class Profile(_Node):
    """An organisation's Exchange estate, for its own build of the site and binder."""

    organisation: Text = Field(description="The organisation's name, printed on the binder's cover.")
    sites: list[Site] = Field(min_length=1)
    servers: list[Server] = Field(min_length=1)
    clusters: list[Cluster] = Field(default_factory=list)
    dags: list[Dag] = Field(default_factory=list)
    client_names: list[ClientName] = Field(default_factory=list)
    backups: Backups | None = None
    contacts: list[Contact] = Field(default_factory=list, description="In escalation order: the first is called first.")
    vendors: list[Vendor] = Field(default_factory=list)


def json_schema() -> dict[str, object]:
    """Return the JSON Schema of a profile (committed as examples/profile.schema.json)."""
    schema = Profile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "profile.schema.json"
    return schema


# --- Locating problems ---------------------------------------------------------------------------

_KINDS = {
    "sites": "site",
    "servers": "server",
    "clusters": "cluster",
    "clustered_servers": "clustered server",
    "storage_groups": "storage group",
    "databases": "database",
    "dags": "dag",
    "copies": "copy",
    "client_names": "client name",
    "contacts": "contact",
    "vendors": "vendor",
}


def _node(raw: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """The innermost named node on ``loc`` and the field path below it."""
    node = "profile"
    field: list[str] = []
    data = raw
    i = 0
    while i < len(loc):
        part = loc[i]
        if part in _KINDS and i + 1 < len(loc) and isinstance(loc[i + 1], int):
            items = data.get(part) if isinstance(data, dict) else None
            item = items[loc[i + 1]] if isinstance(items, list) and loc[i + 1] < len(items) else None
            ident = None
            if isinstance(item, dict):
                ident = item.get("name") or item.get("fqdn") or item.get("server") or item.get("vendor")
            node = f"{_KINDS[part]} '{ident}'" if isinstance(ident, str) else f"{_KINDS[part]} #{loc[i + 1] + 1}"
            field = []
            data = item
            i += 2
            continue
        if isinstance(part, int):
            field.append(f"item {part + 1}")
            data = data[part] if isinstance(data, list) and part < len(data) else None
        elif isinstance(part, str) and not part.startswith(("function-", "constrained-")) and part not in ("str", "int", "bool"):
            field.append(part)
            data = data.get(part) if isinstance(data, dict) else None
        i += 1
    return node, " ".join(field)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (yes/no)"
    return f"{'a number' if isinstance(value, int | float) else 'text'} {value!r}"


def _message(error: Any, field: str, model_fields: list[str]) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    name = field or "this"
    if kind == "missing":
        return f"missing required key '{field}'"
    if kind == "extra_forbidden":
        key = field.rsplit(" ", 1)[-1]
        return f"unknown key '{key}' (allowed: {', '.join(model_fields)})"
    if kind == "string_pattern_mismatch":
        what = KIND_TEXT.get(ctx.get("pattern"), f"text matching {ctx.get('pattern')}")
        return f"{name} '{value}' is not {what}"
    if kind == "literal_error":
        return f"{name} {_describe(value)} is not one of: {ctx.get('expected')}"
    if kind in ("string_type", "str_type"):
        return f"{name} must be text, not {_describe(value)} (quote it)"
    if kind in ("int_type", "int_parsing"):
        return f"{name} must be a whole number, not {_describe(value)}"
    if kind == "bool_type":
        return f"{name} must be true or false, not {_describe(value)}"
    if kind == "list_type":
        return f"{name} must be a list, not {_describe(value)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"{name} must be a mapping, not {_describe(value)}"
    if kind == "too_short":
        return f"{name} needs at least {ctx.get('min_length')} item(s)"
    if kind == "string_too_short":
        return f"{name} must not be empty"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{name} {value!r} is out of range ({error['msg'].lower()})"
    return f"{name}: {error['msg']}" if field else error["msg"]


def _model_at(loc: tuple[Any, ...]) -> list[str]:
    """The allowed keys of the model that holds the last key of ``loc``."""
    model: Any = Profile
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        if info is None:
            break
        model = _inner_model(info.annotation)
    return list(model.model_fields) if model is not None else []


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _schema_problems(name: str, raw: Any, error: ValidationError) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        loc = tuple(p for p in item["loc"] if not (isinstance(p, str) and p.startswith(("function-", "constrained-"))))
        # A union (Host | IPv4) reports once per branch; the first branch's message is enough.
        loc = tuple(p for p in loc if p not in ("str", "int", "bool", "literal['ccr','scc','e2003']"))
        node, field = _node(raw, loc)
        line = safeyaml.line_of(raw, loc)
        problems.append(Problem(name, line, node, _message(item, field, _model_at(loc))))
    # One problem per place and node: a union branch repeats the same location.
    unique: dict[tuple[int, str], Problem] = {}
    for problem in problems:
        unique.setdefault((problem.line, problem.node + problem.message.split(" '", 1)[0]), problem)
    return list(unique.values())


# --- References ----------------------------------------------------------------------------------


def _reference_problems(name: str, raw: Any, profile: Profile) -> list[Problem]:
    """Every name that should point at something the profile lists, and every duplicate."""
    problems: list[Problem] = []

    def at(loc: tuple[Any, ...], node: str, message: str) -> None:
        problems.append(Problem(name, safeyaml.line_of(raw, loc), node, message))

    def listed(what: str, names: list[str]) -> str:
        return f"(the profile lists {what}: {', '.join(names)})" if names else f"(the profile lists no {what})"

    sites = [s.name for s in profile.sites]
    servers = [s.name for s in profile.servers]
    upper = {s.upper() for s in servers}
    seen: dict[str, tuple[Any, ...]] = {}

    def unique(value: str, loc: tuple[Any, ...], node: str) -> None:
        key = value.upper()
        if key in seen:
            first = safeyaml.line_of(raw, seen[key])
            at(loc, node, f"the name '{value}' is already used at line {first}; names must be unique (case-insensitive)")
        else:
            seen[key] = loc

    for i, server in enumerate(profile.servers):
        node = f"server '{server.name}'"
        unique(server.name, ("servers", i, "name"), node)
        if server.site not in sites:
            at(("servers", i, "site"), node, f"site '{server.site}' is not one of the profile's sites {listed('sites', sites)}")
        if server.storage_groups and "mailbox" not in server.roles and "back-end" not in server.roles:
            at(("servers", i, "storage_groups"), node, "has storage groups but no mailbox (or back-end) role")
    for c, cluster in enumerate(profile.clusters):
        node = f"cluster '{cluster.name}'"
        unique(cluster.name, ("clusters", c, "name"), node)
        for n, member in enumerate(cluster.nodes):
            if member.upper() not in upper:
                at(("clusters", c, "nodes", n), node, f"node '{member}' is not one of the profile's servers {listed('servers', servers)}")
        for n, member in enumerate(cluster.standby):
            if member.upper() not in upper:
                at(
                    ("clusters", c, "standby", n),
                    node,
                    f"standby '{member}' is not one of the profile's servers {listed('servers', servers)}",
                )
        for v, virtual in enumerate(cluster.clustered_servers):
            unique(virtual.name, ("clusters", c, "clustered_servers", v, "name"), f"clustered server '{virtual.name}'")
    for d, dag in enumerate(profile.dags):
        node = f"dag '{dag.name}'"
        unique(dag.name, ("dags", d, "name"), node)
        members = {m.upper() for m in dag.members}
        for m, member in enumerate(dag.members):
            if member.upper() not in upper:
                at(("dags", d, "members", m), node, f"member '{member}' is not one of the profile's servers {listed('servers', servers)}")
        for key in ("witness", "alternate_witness"):
            witness = getattr(dag, key)
            if witness is None:
                continue
            if witness.server.upper() not in upper:
                at(
                    (("dags", d, key, "server")),
                    node,
                    f"{key.replace('_', ' ')} server '{witness.server}' is not one of the profile's servers",
                )
            elif witness.server.upper() in members:
                at((("dags", d, key, "server")), node, f"{key.replace('_', ' ')} server '{witness.server}' is a member of the DAG itself")
        for b, database in enumerate(dag.databases):
            for k, copy in enumerate(database.copies):
                if copy.server.upper() not in members:
                    at(
                        ("dags", d, "databases", b, "copies", k, "server"),
                        f"database '{database.name}'",
                        f"copy on '{copy.server}', which is not a member of DAG '{dag.name}' (members: {', '.join(dag.members)})",
                    )
    for c, client in enumerate(profile.client_names):
        for p, target in enumerate(client.points_to):
            if "." not in target and target.upper() not in upper and target.upper() not in {k.upper() for k in _virtual_names(profile)}:
                at(
                    ("client_names", c, "points_to", p),
                    f"client name '{client.fqdn}'",
                    f"points to '{target}', which the profile does not list",
                )
    return problems


def _virtual_names(profile: Profile) -> list[str]:
    return [v.name for cluster in profile.clusters for v in cluster.clustered_servers]


def load_profile(path: Path, name: str | None = None) -> Profile:
    """Read, parse and check one profile; raise ProblemsFound with every located problem."""
    name = name or str(path)
    try:
        text = safeyaml.read_text(path, MAX_BYTES)
        raw, problems = safeyaml.load(text, name)
    except safeyaml.YamlRefused as refused:
        raise ProblemsFound(refused.problems) from None
    if problems:
        raise ProblemsFound(problems)
    if not isinstance(raw, dict):
        raise ProblemsFound([Problem(name, getattr(raw, "line", 1), "profile", f"the file must hold a mapping, not {_describe(raw)}")])
    try:
        profile = Profile.model_validate(raw)
    except ValidationError as error:
        raise ProblemsFound(_schema_problems(name, raw, error)) from None
    problems = _reference_problems(name, raw, profile)
    if problems:
        raise ProblemsFound(problems)
    return profile


# --- What the pages offer -------------------------------------------------------------------------

# Placeholder names (as the procedure pages spell them) each kind of profile value fills.
CMS_KEYS = {"name": ("CMSName", "EVSName"), "ip": ("IP",), "data_path": ("DataPath",)}
SG_KEYS = {
    "storage_group": ("StorageGroup",),
    "database": ("DatabaseName", "Database", "DB"),
    "edb_path": ("EdbPath", "EdbFile"),
    "log_path": ("LogPath", "LogFolder"),
    "log_prefix": ("LogPrefix",),
}
DAG_KEYS = {
    "dag": ("DAG",),
    "witness_server": ("WitnessServer",),
    "witness_directory": ("WitnessDirectory",),
    "alternate_server": ("AltWitnessServer", "AltWitness"),
    "alternate_directory": ("AltWitnessDirectory", "AltWitnessDir"),
}


def _spread(values: dict[str, str | None], keys: dict[str, tuple[str, ...]], wanted: set[str]) -> dict[str, str]:
    """Profile values under the page's placeholder names that take them."""
    result = {}
    for field, names in keys.items():
        value = values.get(field)
        if value is None:
            continue
        for ph in names:
            if ph in wanted:
                result[ph] = value
    return result


def _database_options(profile: Profile, wanted: set[str]) -> list[dict[str, Any]]:
    options = []

    def add(owner: str, group: StorageGroup) -> None:
        for database in group.databases or [Database(name="")]:
            values = {
                "storage_group": group.name,
                "database": database.name or None,
                "edb_path": database.edb_path,
                "log_path": group.log_path,
                "log_prefix": group.log_prefix,
            }
            picked = _spread(values, SG_KEYS, wanted)
            if picked:
                label = f"{group.name}" + (f" / {database.name}" if database.name else "") + f" on {owner}"
                options.append({"label": label, "values": picked})

    for server in profile.servers:
        for group in server.storage_groups:
            add(server.name, group)
    for cluster in profile.clusters:
        for virtual in cluster.clustered_servers:
            for group in virtual.storage_groups:
                add(virtual.name, group)
    for dag in profile.dags:
        for dag_db in dag.databases:
            values = {"database": dag_db.name, "edb_path": dag_db.edb_path, "log_path": dag_db.log_folder}
            picked = _spread(values, SG_KEYS, wanted)
            if picked:
                options.append({"label": f"{dag_db.name} in {dag.name}", "values": picked})
    return options


def choices(profile: Profile, placeholders: dict[str, Any]) -> dict[str, Any] | None:
    """The candidates a page with these placeholders offers: groups that fill several at once, and per-name lists."""
    wanted = set(placeholders)
    groups = []
    cms = []
    for cluster in profile.clusters:
        for virtual in cluster.clustered_servers:
            values = {"name": virtual.name, "ip": virtual.ips[0], "data_path": virtual.data_path}
            picked = _spread(values, CMS_KEYS, wanted)
            if picked:
                kind = "Exchange virtual server" if cluster.type == "e2003" else f"{cluster.type.upper()} clustered mailbox server"
                cms.append({"label": f"{virtual.name} ({kind} on cluster {cluster.name})", "values": picked})
    if cms:
        groups.append({"id": "cms", "label": "Clustered mailbox server", "options": cms})
    databases = _database_options(profile, wanted)
    if databases:
        groups.append({"id": "database", "label": "Storage group and database", "options": databases})
    dags = []
    for dag in profile.dags:
        values = {
            "dag": dag.name,
            "witness_server": dag.witness.server,
            "witness_directory": dag.witness.directory,
            "alternate_server": dag.alternate_witness.server if dag.alternate_witness else None,
            "alternate_directory": dag.alternate_witness.directory if dag.alternate_witness else None,
        }
        picked = _spread(values, DAG_KEYS, wanted)
        if picked:
            dags.append({"label": f"{dag.name} ({', '.join(dag.members)})", "values": picked})
    if dags:
        groups.append({"id": "dag", "label": "Database availability group", "options": dags})

    hosts = [s.name for s in profile.servers] + _virtual_names(profile)
    fqdns = [s.fqdn for s in profile.servers] + [c.fqdn for c in profile.client_names]
    ips = [ip for s in profile.servers for ip in s.ips] + [ip for c in profile.clusters for v in c.clustered_servers for ip in v.ips]
    by_kind = {"hostname": hosts, "fqdn": fqdns, "ipv4": ips}
    lists = {}
    for ph, spec in placeholders.items():
        kind = spec.get("kind") if isinstance(spec, dict) else None
        if by_kind.get(kind):
            lists[ph] = sorted(set(by_kind[kind]), key=str.lower)
    if not groups and not lists:
        return None
    return {"groups": groups, "lists": lists}


def candidates(profile: Profile, placeholders: dict[str, Any]) -> dict[str, list[str]]:
    """Per placeholder name, the profile's values it may take (for the binder's placeholder tables)."""
    offered = choices(profile, placeholders)
    found: dict[str, list[str]] = {}
    if offered is None:
        return found
    for group in offered["groups"]:
        for option in group["options"]:
            for name, value in option["values"].items():
                if value not in found.setdefault(name, []):
                    found[name].append(value)
    for name, values in offered["lists"].items():
        found.setdefault(name, [])
        found[name].extend(v for v in values if v not in found[name])
    return found


SERVICE_TEXT = {
    "owa": "Outlook Web App",
    "autodiscover": "Autodiscover",
    "cas-array": "CAS array (RPC Client Access)",
    "pop": "POP3",
    "imap": "IMAP4",
    "activesync": "Exchange ActiveSync",
    "outlook-anywhere": "Outlook Anywhere",
    "smtp": "SMTP",
    "other": "Other",
}


# --- Where a guide can start: "Which server or cluster failed?" ---------------------------------

WINDOWS_ANSWERS = {"2003": "w2003", "2003 R2": "w2003", "2008": "w2008", "2008 R2": "w2008r2", "2012": "w2012"}


def _version_answer(version: str) -> str:
    return "e" + version.split()[0]


def targets(profile: Profile) -> list[dict[str, Any]]:
    """What can fail, as the guides' answer ids know it: per target, dimension -> answer ids, most specific first."""
    servers = {s.name.upper(): s for s in profile.servers}
    clustered = {n.upper() for c in profile.clusters for n in c.nodes + c.standby}
    in_dag = {m.upper() for d in profile.dags for m in d.members}
    found: list[dict[str, Any]] = []
    for cluster in profile.clusters:
        nodes = [servers[n.upper()] for n in cluster.nodes if n.upper() in servers]
        first = nodes[0] if nodes else None
        version = first.version if first else ("2003" if cluster.type == "e2003" else "2007")
        topology = ["cluster"] if cluster.type == "e2003" else [cluster.type]
        if cluster.type == "ccr" and cluster.standby:
            topology = ["ccr-scr", "ccr", "cluster"]
        elif cluster.type != "e2003":
            topology.append("cluster")
        for virtual in cluster.clustered_servers:
            kind = "Exchange virtual server" if cluster.type == "e2003" else f"{cluster.type.upper()} clustered mailbox server"
            facts = {"version": [_version_answer(version)], "topology": topology}
            if first is not None:
                facts["os"] = [WINDOWS_ANSWERS[first.windows]]
            windows = f", Windows Server {first.windows}" if first else ""
            found.append(
                {
                    "name": virtual.name,
                    "label": f"{virtual.name}: {kind} on cluster {cluster.name} (Exchange {version}{windows})",
                    "facts": facts,
                }
            )
    for dag in profile.dags:
        members = [servers[m.upper()] for m in dag.members if m.upper() in servers]
        sites = {m.site for m in members}
        version = members[0].version if members else "2010"
        facts = {
            "version": [_version_answer(version)],
            "topology": ["dag-multi-site" if len(sites) > 1 else "dag-one-site", "dag", "yes" if dag.dac_mode else "no"],
        }
        windows = f", Windows Server {members[0].windows}" if members else ""
        found.append(
            {"name": dag.name, "label": f"{dag.name}: DAG of {', '.join(dag.members)} (Exchange {version}{windows})", "facts": facts}
        )
    for server in profile.servers:
        if server.name.upper() in clustered or server.name.upper() in in_dag:
            continue
        if not {"mailbox", "back-end"} & set(server.roles):
            continue
        facts = {"version": [_version_answer(server.version)], "topology": ["standalone"], "os": [WINDOWS_ANSWERS[server.windows]]}
        found.append(
            {
                "name": server.name,
                "label": f"{server.name}: stand-alone {', '.join(server.roles)} server (Exchange {server.version}, Windows Server {server.windows})",
                "facts": facts,
            }
        )
    return found


def known_answers(guide: Any, facts: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The answers a target's facts give from the guide's start, in order, until a question they cannot answer."""
    questions = {q.id: q for q in guide.questions}
    path: list[tuple[str, str]] = []
    qid: str | None = guide.start_id
    while qid is not None and qid in questions and len(path) < len(questions):
        question = questions[qid]
        ids = {answer.id: answer for answer in question.answers}
        chosen = next((value for value in facts.get(question.dimension or "", []) if value in ids), None)
        if chosen is None:
            break
        path.append((qid, chosen))
        qid = ids[chosen].next
    return path


def render_start(profile: Profile, guide: Any) -> str:
    """The "Which server or cluster failed?" panel before a guide's first question ("" if nothing applies)."""
    from urllib.parse import urlencode

    import jinja2

    choices_here = []
    for target in targets(profile):
        path = known_answers(guide, target["facts"])
        if path:
            choices_here.append({"label": target["label"], "name": target["name"], "query": "?" + urlencode(path), "answers": len(path)})
    if not choices_here:
        return ""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"), autoescape=True, undefined=jinja2.StrictUndefined
    )
    return env.get_template("profile_start.html.jinja").render(organisation=profile.organisation, guide=guide, targets=choices_here)
