"""Layer (c): an organisation's own build. The example profile's values reach the procedure pages,
the guides and the binder; a broken profile fails the build with located lines; the public build
holds none of the example's values."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from macros.binder.build import assemble
from macros.engine.catalog import load_catalog
from macros.html.profile import load_profile

from .conftest import EXAMPLE_PROFILE, ROOT, mkdocs_build

PROFILE = load_profile(EXAMPLE_PROFILE)
# Values only the example profile holds: none may appear in the public build.
EXAMPLE_VALUES = [
    PROFILE.organisation,
    "FBK07-CMS1",
    "192.0.2.15",
    "fabrikam.example",
    "Avery Example",
    "FBK-DAG1",
    "FBK-SG1",
]
ISLAND = re.compile(r'<script type="application/json" class="drg-profile__data">(.*?)</script>', re.S)


def page(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_every_page_of_a_profile_build_says_it_holds_internal_data(profile_site: Path) -> None:
    pages = [p for p in profile_site.rglob("*.html") if "assets" not in p.parts]
    assert len(pages) > 20
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert "data-drg-confidential" in text, f"{path.relative_to(profile_site)} has no confidentiality banner"
        assert "Fabrikam Example Ltd&#39;s internal data" in text or "Fabrikam Example Ltd's internal data" in text


def test_a_cms_choice_fills_name_and_address_and_a_storage_group_its_database_and_path(profile_site: Path) -> None:
    text = page(profile_site, "procedures/e2007-recover-cms.html")
    island = ISLAND.search(text)
    assert island, "the page has the profile's data island"
    offered = json.loads(island.group(1))  # |tojson: valid JSON with < > & ' escaped
    groups = {group["id"]: group for group in offered["groups"]}
    assert groups["cms"]["options"][0]["values"] == {"CMSName": "FBK07-CMS1", "IP": "192.0.2.15"}
    databases = [option["values"] for option in groups["database"]["options"]]
    # A storage group choice fills every placeholder of the page it knows: since the page asks for
    # the .edb path and log prefix too (eseutil /mh before mounting), those come with it.
    wanted = {"StorageGroup": "FBK-SG1", "DatabaseName": "FBK-DB1", "EdbPath": "E:\\FBK-SG1\\FBK-DB1.edb"}
    assert any(wanted.items() <= values.items() for values in databases), databases
    assert 'data-profile-group="cms"' in text
    assert 'list="drg-list-CMSName"' in text
    assert '<option value="FBK07-N1">' in text, "typed values still work: the servers are suggestions"
    # A DAG page gets the DAG and its witness; the paths of a DAG database.
    dag = page(profile_site, "procedures/e2010-datacenter-switchover.html")
    assert "FBK-DAG1" in dag


def test_a_page_without_placeholders_gets_no_profile_island(profile_site: Path) -> None:
    assert "drg-profile__data" not in page(profile_site, "reference/glossary.html")


def test_the_public_build_holds_none_of_the_example_values(built_site: Path) -> None:
    for path in built_site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".json", ".js", ".xml", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            for value in EXAMPLE_VALUES:
                assert value not in text, f"{path.relative_to(built_site)} holds the example's {value!r}"
    assert "data-drg-confidential" not in page(built_site, "index.html")
    assert "drg-profile__data" not in page(built_site, "procedures/e2007-recover-cms.html")


def test_the_binder_prints_the_organisation_inventory_contacts_and_candidates(profile_site: Path) -> None:
    catalog = load_catalog(ROOT / "decisions", ROOT / "docs")
    binder = assemble(profile_site, catalog, ROOT / "mkdocs.yml", ROOT)
    public = binder.render()
    binder.profile = PROFILE
    printed = binder.render()
    for value in EXAMPLE_VALUES:
        assert value not in public
    cover = printed.split('<section class="drg-binder__cover">', 1)[1].split("</section>", 1)[0]
    assert "Fabrikam Example Ltd" in cover
    assert "internal data" in cover
    inventory = printed.split('id="inventory"', 1)[1].split("</section>", 1)[0]
    for value in ("fbk07-n1.fabrikam.example", "2007 SP3", "2008 R2", "FBK07-CL1", "FBK07-CMS1", "FBK-DAG1", "FBK10-CAS1 C:\\FBK-DAG1-FSW"):
        assert value in inventory, value
    assert re.search(r"<td>webmail\.fabrikam\.example</td><td>300</td>", inventory), "client names with their DNS TTLs"
    assert "lagged on FBK10-MBX2: 1.00:00:00" in inventory
    contacts = printed.split('id="contacts"', 1)[1].split("</section>", 1)[0]
    order = [contacts.index(contact.name) for contact in PROFILE.contacts]
    assert order == sorted(order), "contacts in escalation order"
    assert "+44 20 7946 0001" in contacts
    assert "FBK-PREMIER-0000" in contacts
    recover = printed.split('id="p-procedures.e2007-recover-cms"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"&lt;CMSName&gt;</code></td><td>[^<]*</td><td><span class=\"drg-binder__candidates\">FBK07-CMS1,", recover)
    assert re.search(r"&lt;StorageGroup&gt;</code></td><td>[^<]*</td><td><span class=\"drg-binder__candidates\">FBK-SG1, FBK-SG2<", recover)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("ips: [192.0.2.15]", "ips: [192.0.2.300]"),
            ":80: clustered server 'FBK07-CMS1': ips item 1 '192.0.2.300' is not an IPv4 address",
        ),
        (
            ("nodes: [FBK07-N1, FBK07-N2]", "nodes: [FBK07-N1, FBK07-N9]"),
            ":75: cluster 'FBK07-CL1': node 'FBK07-N9' is not one of the profile's servers",
        ),
        (
            ("organisation: Fabrikam Example Ltd", "organisation: !!python/object:os.system ls"),
            ":6: yaml: YAML tag '!!python/object:os.system' is not allowed",
        ),
    ],
    ids=["kind", "reference", "hostile"],
)
def test_a_broken_profile_fails_the_build_with_located_lines(tmp_path: Path, edit: tuple[str, str], expected: str) -> None:
    path = tmp_path / "org.profile.yml"
    path.write_text(EXAMPLE_PROFILE.read_text(encoding="utf-8").replace(*edit), encoding="utf-8")
    result = mkdocs_build(ROOT / "mkdocs.yml", tmp_path / "site", {"DRG_PROFILE": str(path)})
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert f"{path}{expected}" in output
    assert "Traceback" not in output
    assert not (tmp_path / "site" / "index.html").exists(), "nothing half-written"
