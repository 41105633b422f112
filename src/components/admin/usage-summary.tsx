import type { UsageReport } from '@/client/account-api-types';
import { TableScroll } from './table-scroll';

const number = new Intl.NumberFormat('en');

/** Messages and tokens per day and per model, and how many people were active. */
export function UsageSummary({ report, days }: { report: UsageReport; days: number }) {
  return (
    <section aria-labelledby="usage-heading" data-testid="admin-usage">
      <h2 id="usage-heading">Usage, last {days} days</h2>
      <p className="small">
        Active users: <strong>{report.activeUsers.today}</strong> today,{' '}
        <strong>{report.activeUsers.lastWeek}</strong> in 7 days, <strong>{report.activeUsers.period}</strong>{' '}
        in {days} days.
      </p>
      <h3>Per model</h3>
      {report.perModel.length === 0 && <p className="muted small">No replies in this period.</p>}
      <TableScroll label="Usage per model" hidden={report.perModel.length === 0}>
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Replies</th>
              <th scope="col">Input tokens</th>
              <th scope="col">Output tokens</th>
            </tr>
          </thead>
          <tbody>
            {report.perModel.map((row) => (
              <tr key={row.model}>
                <td>{row.model}</td>
                <td>{number.format(row.replies)}</td>
                <td>{number.format(row.inputTokens)}</td>
                <td>{number.format(row.outputTokens)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <h3>Per day (UTC)</h3>
      <TableScroll label="Usage per day" hidden={report.perDay.length === 0}>
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">User messages</th>
              <th scope="col">Replies</th>
              <th scope="col">Input tokens</th>
              <th scope="col">Output tokens</th>
              <th scope="col">Active users</th>
            </tr>
          </thead>
          <tbody>
            {report.perDay.map((row) => (
              <tr key={row.day}>
                <td>{row.day}</td>
                <td>{number.format(row.userMessages)}</td>
                <td>{number.format(row.assistantMessages)}</td>
                <td>{number.format(row.inputTokens)}</td>
                <td>{number.format(row.outputTokens)}</td>
                <td>{number.format(row.activeUsers)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      {report.perDay.length === 0 && <p className="muted small">No messages in this period.</p>}
    </section>
  );
}
