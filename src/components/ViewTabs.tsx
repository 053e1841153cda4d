import { useView, viewHref, type AppView } from '../hooks/useView';

const TABS: { view: AppView; label: string }[] = [
  { view: 'files', label: 'Files' },
  { view: 'live', label: 'Live' },
];

/** Switches between the file view and the live view. */
export function ViewTabs() {
  const view = useView();
  return (
    <nav className="view-tabs" aria-label="Views">
      {TABS.map((t) => (
        <a key={t.view} href={viewHref(t.view)} aria-current={view === t.view ? 'page' : undefined}>
          {t.label}
        </a>
      ))}
    </nav>
  );
}
