// What the UI reads from /api/surveys: the server's contracts (type-only imports).
import type { z } from 'zod';
import type {
  BandsConfig,
  PublicForm,
  Results,
  SurveyDetail,
  SurveyListItem,
  SurveyQuestion,
  TemplateItem,
  TokensResult,
  Trend,
} from '../surveys.contract';

export type TemplateItemT = z.infer<typeof TemplateItem>;
export type SurveyListItemT = z.infer<typeof SurveyListItem>;
export type SurveyDetailT = SurveyDetail;
export type SurveyQuestionT = SurveyQuestion;
export type BandsConfigT = BandsConfig;
export type PublicFormT = PublicForm;
export type ResultsT = Results;
export type TrendT = Trend;
export type TokensResultT = z.infer<typeof TokensResult>;
export type AnswerValue = number | boolean | string | string[];
