import { PAGE_SIZES, pageCountOf } from './fleetView';
import type { UpdateFleetView } from './useFleetView';

/**
 * The table's page controls for one page the server answered (`offset`, `pageSize`) of `total`
 * clusters; every change goes to the URL through `update`. Both fleet views page alike.
 */
export function serverPagination(
  offset: number,
  pageSize: number,
  total: number,
  update: UpdateFleetView,
) {
  const page = Math.floor(offset / pageSize) + 1;
  return {
    type: 'page' as const,
    pageSize,
    pageSizeOptions: [...PAGE_SIZES],
    offset,
    totalCount: total,
    hasNextPage: page < pageCountOf(total, pageSize),
    hasPreviousPage: page > 1,
    onNextPage: () => update({ page: page + 1 }),
    onPreviousPage: () => update({ page: page - 1 }),
    onPageSizeChange: (size: number) => update({ pageSize: size, page: 1 }),
  };
}
