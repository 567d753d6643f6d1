# Adds bulk users bench0..benchN-1 to a provisioned Samba DC's sam.ldb in one transaction
# (the DC must be stopped). Fast seeding for the live-collection benchmark: no passwords,
# no LDAP round trips; seeding time is not part of what is measured.
#   /usr/bin/python3 seed-users.py DIR/dc/private/sam.ldb FROM TO
import sys
import ldb
from samba.auth import system_session
from samba.param import LoadParm
from samba.samdb import SamDB

path, start, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
lp = LoadParm()
lp.load(path.replace("/private/sam.ldb", "/etc/smb.conf"))
db = SamDB(url=path, session_info=system_session(), lp=lp, flags=ldb.FLG_NOSYNC)
base = str(db.domain_dn())
if start == 0:
    db.add({"dn": f"OU=Bench,{base}", "objectClass": "organizationalUnit"})
# Commit every 1000 adds: one huge transaction gets slower per add as it grows.
for batch in range(start, end, 1000):
    db.transaction_start()
    try:
        for i in range(batch, min(batch + 1000, end)):
            db.add({
                "dn": f"CN=bench{i},OU=Bench,{base}",
                "objectClass": "user",
                "sAMAccountName": f"bench{i}",
                "userPrincipalName": f"bench{i}@bench.test",
                "givenName": "Bench",
                "sn": f"User {i}",
                "mail": f"bench{i}@bench.test",
                "userAccountControl": str(514 if i % 10 == 0 else 512),
                "description": "benchmark user",
            })
        db.transaction_commit()
    except Exception:
        db.transaction_cancel()
        raise
