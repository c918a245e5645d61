-- The customer mini-program's 消息 lists the notices Lumi recorded for her and marks them read.
ALTER TABLE "outbound_messages" ADD COLUMN "read_at" timestamp with time zone;
