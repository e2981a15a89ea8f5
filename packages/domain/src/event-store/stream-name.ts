// Stream names are `<category>-<id>`. The category holds no dash, so EventStoreDB's `$ce-` projection,
// which splits on the first dash, and our Postgres category column agree.

export const streamName = (category: string, id: string): string => {
  if (category.length === 0 || category.includes('-')) {
    throw new Error(`stream category must be non-empty and hold no dash: "${category}"`);
  }
  if (id.length === 0) throw new Error('stream id must be non-empty');
  return `${category}-${id}`;
};

export const categoryOf = (name: string): string => {
  const dash = name.indexOf('-');
  return dash === -1 ? name : name.slice(0, dash);
};
