// The globals Wails v2 injects into the web view: the bound Go methods under
// window.go.<package>.<struct> and the runtime under window.runtime. Only
// src/api/ may use them (eslint.config.js). Their types come from what Wails
// generates (frontend/wailsjs): the runtime's as they are, the bound
// methods' checked against it in bindings.ts.

import type * as Runtime from '../../wailsjs/runtime/runtime';
import type { AppBindings } from './bindings';
import type {
  BootState,
  BotReport,
  CannedEditData,
  CannedList,
  ContextData,
  Conversation,
  CustomerNote,
  DirectoryData,
  FloorData,
  KBData,
  KBEditData,
  Message,
  MonitorState,
  MessagePage,
  SearchHit,
  Session,
  SharedCanned,
} from './types';
import type { AboutInfo, UpdateNotice } from './update';

/**
 * The bound methods of app.App (app/app.go) that index.ts and update.ts
 * wrap; the other modules of src/api declare the ones they wrap, and
 * bindings.ts puts them together. Every call returns a promise; a
 * Go error rejects it with an Error whose message is the error's text,
 * "code: message".
 */
export interface WailsAppBindings {
  Bootstrap(): Promise<BootState>;
  SystemLanguage(): Promise<string>;
  SignIn(serverURL: string, username: string, password: string): Promise<Session>;
  SignOut(): Promise<void>;
  ListConversations(filter: string): Promise<Conversation[] | null>;
  Transcript(conversationID: string): Promise<Message[] | null>;
  Send(conversationID: string, text: string): Promise<Message>;
  Accept(conversationID: string): Promise<Conversation>;
  Resolve(conversationID: string): Promise<Conversation>;
  Decline(conversationID: string): Promise<Conversation>;
  Transfer(
    conversationID: string,
    toAgentID: string,
    toTeam: string,
    note: string,
  ): Promise<Conversation>;
  HandBack(conversationID: string): Promise<Conversation>;
  Context(conversationID: string): Promise<ContextData>;
  SetTags(conversationID: string, add: string[], remove: string[]): Promise<Conversation>;
  AddCustomerNote(conversationID: string, text: string): Promise<CustomerNote>;
  Directory(): Promise<DirectoryData>;
  SetStatus(status: string): Promise<string>;
  TranscriptPage(conversationID: string, beforeSeq: number, limit: number): Promise<MessagePage>;
  SendNote(conversationID: string, clientMsgID: string, text: string): Promise<Message>;
  MarkRead(conversationID: string, seq: number): Promise<number>;
  ResolvedSince(sinceMS: number): Promise<Conversation[] | null>;
  SearchMessages(query: string, limit: number): Promise<SearchHit[] | null>;
  About(): Promise<AboutInfo>;
  UpdateNotice(): Promise<UpdateNotice | null>;
  WatchFloor(on: boolean): Promise<FloorData>;
  Monitor(conversationID: string, on: boolean): Promise<MonitorState>;
  SendDraft(conversationID: string, text: string): Promise<void>;
  SendWhisper(conversationID: string, clientMsgID: string, text: string): Promise<Message>;
  Join(conversationID: string): Promise<Conversation>;
  Leave(conversationID: string): Promise<Conversation>;
  TakeOver(conversationID: string): Promise<Conversation>;
  Reassign(
    conversationID: string,
    toAgentID: string,
    toTeam: string,
    note: string,
  ): Promise<Conversation>;
  Assist(conversationID: string, on: boolean): Promise<Conversation>;
  BotReport(limit: number): Promise<BotReport>;
  KnowledgeBase(history: boolean): Promise<KBData>;
  EditKnowledgeBase(edit: KBEditData): Promise<KBData>;
  CannedList(): Promise<CannedList>;
  EditCanned(edit: CannedEditData): Promise<SharedCanned>;
}

/** The part of the Wails runtime the UI uses, as frontend/wailsjs/runtime declares it. */
export type WailsRuntime = Pick<typeof Runtime, 'EventsOn' | 'EventsOff'> &
  Partial<Pick<typeof Runtime, 'BrowserOpenURL'>>;

declare global {
  interface Window {
    go?: { app?: { App?: Partial<AppBindings> } };
    runtime?: WailsRuntime;
  }
}
