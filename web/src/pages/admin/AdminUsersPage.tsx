import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { admin, type AdminUser, type Role } from '../../api';
import { adminUsersQuery, errorText } from '../../app/queries';
import { queryKeys } from '../../app/queryKeys';
import { useToastAction } from '../../app/useToastAction';
import { DataTable } from '../../components/DataTable';
import { formatBytes, formatDate } from '../../lib/format';
import { AdminPage } from './AdminNav';

const MB = 1_000_000;

export function AdminUsersPage() {
  const client = useQueryClient();
  const { data, error } = useQuery(adminUsersQuery);
  // A saved role or quota moves the dashboard's figures too.
  const reload = () => client.invalidateQueries({ queryKey: queryKeys.admin });
  return (
    <AdminPage>
      <h2>Users {data && <span className="muted">({data.length})</span>}</h2>
      <DataTable columns={['Email', 'Videos', 'Usage', 'Role', 'Quota (MB)', 'Joined']} actions error={errorText(error)}>
        {data?.map((u) => <UserRow key={`${u.id}:${u.role}:${u.quotaBytes}`} user={u} onSaved={() => void reload()} />)}
      </DataTable>
    </AdminPage>
  );
}

function UserRow({ user, onSaved }: { user: AdminUser; onSaved: () => void }) {
  const run = useToastAction();
  const [role, setRole] = useState<Role>(user.role);
  const [unlimited, setUnlimited] = useState(user.quotaBytes === null);
  const [quotaMb, setQuotaMb] = useState(String(user.quotaBytes === null ? 500 : Math.round(user.quotaBytes / MB)));
  const [busy, setBusy] = useState(false);
  const quotaBytes = unlimited ? null : Math.round(Number(quotaMb) * MB);
  const dirty = role !== user.role || quotaBytes !== user.quotaBytes;
  const invalid = !unlimited && (!Number.isFinite(Number(quotaMb)) || Number(quotaMb) < 0);
  const pct = user.quotaBytes ? Math.min(100, (user.storageUsedBytes / user.quotaBytes) * 100) : 0;

  const save = async () => {
    setBusy(true);
    if (await run(() => admin.updateUser(user.id, { role, quotaBytes }), `Saved ${user.email}.`)) onSaved();
    setBusy(false);
  };

  return (
    <tr>
      <td>{user.email}</td>
      <td>{user.videoCount}</td>
      <td>
        {formatBytes(user.storageUsedBytes)}
        {user.quotaBytes !== null && (
          <div className="bar bar-thin" aria-hidden="true">
            <div className="bar-fill" style={{ width: `${pct}%` }} />
          </div>
        )}
      </td>
      <td>
        <select value={role} onChange={(e) => setRole(e.target.value as Role)} aria-label={`Role of ${user.email}`}>
          <option value="user">user</option>
          <option value="admin">admin</option>
        </select>
      </td>
      <td>
        <div className="row gap nowrap">
          <input
            type="number"
            min={0}
            className="input-narrow"
            value={quotaMb}
            disabled={unlimited}
            onChange={(e) => setQuotaMb(e.target.value)}
            aria-label={`Quota in MB of ${user.email}`}
          />
          <label className="check">
            <input type="checkbox" checked={unlimited} onChange={(e) => setUnlimited(e.target.checked)} /> unlimited
          </label>
        </div>
      </td>
      <td>{formatDate(user.createdAt)}</td>
      <td>
        <button type="button" className="btn btn-small btn-primary" disabled={!dirty || invalid || busy} onClick={() => void save()}>
          Save
        </button>
      </td>
    </tr>
  );
}
