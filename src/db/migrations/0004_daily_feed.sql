ALTER TABLE `channels` ADD `current_track` text;--> statement-breakpoint
ALTER TABLE `channels` ADD `current_order` integer;--> statement-breakpoint
ALTER TABLE `daily_configs` ADD `after_track` text DEFAULT 'next' NOT NULL;--> statement-breakpoint
ALTER TABLE `daily_configs` ADD `finished_at` integer;--> statement-breakpoint
ALTER TABLE `daily_configs` ADD `last_post_day` text;--> statement-breakpoint
ALTER TABLE `daily_configs` ADD `last_post_at` integer;--> statement-breakpoint
ALTER TABLE `daily_configs` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `daily_configs` ADD `last_error_at` integer;