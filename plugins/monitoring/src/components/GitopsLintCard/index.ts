export { GitopsLintCard, GitopsLintDetails } from './GitopsLintCard';
